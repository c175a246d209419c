/**
 * GET /portal: sign in, then the team's API credentials per environment,
 * teammates and invitations, the admin view and (for user admins) the Users
 * console. Secrets are shown once and removed from the page when dismissed.
 * The parts live in scripts/portal/; this entry wires them in page order.
 */
import { $ } from './form';
import { wireAdminInvitations } from './portal/admin';
import { wireUserSearch } from './portal/console';
import { wireCredentials } from './portal/credentials';
import { wireFactorGate } from './portal/factor-gate';
import { readInvite, wireInvitation } from './portal/invitation';
import { whenSessionEnds } from './portal/session';
import { signOut, wireSignIn, wireVerifyResend } from './portal/sign-in';
import { loadAll, loadTeam, wireTeamInvitations } from './portal/team';

whenSessionEnds(signOut);
wireVerifyResend();
wireFactorGate(() => loadTeam());
wireSignIn();
wireCredentials(loadAll);
wireTeamInvitations();
wireAdminInvitations();
wireInvitation();
wireUserSearch();

readInvite();
$('email').focus();
