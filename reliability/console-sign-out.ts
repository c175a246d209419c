import { decodeJwt } from 'jose';
import { enrolTotp } from '../test/support/factors';
import { type Harness, Part, request } from './harness';

/** The operator this part acts as (USER_ADMIN_EMAILS names it; the harness marks it verified) and the TV client it uses. */
export const CONSOLE_SIGN_OUT_SETTINGS = {
  USER_ADMIN_EMAILS: 'reliability.operator@example.com',
  DEVICE_CLIENT_IDS: 'reliability-tv=Reliability TV',
  // Every approval of the burst opens a live code; the per-IP window for wrong codes must not cut the burst short.
  ACTIVATE_MAX_FAILURES: '1000',
};
const OPERATOR = CONSOLE_SIGN_OUT_SETTINGS.USER_ADMIN_EMAILS;
const TV_CLIENT = 'reliability-tv';
const PASSWORD = 'reliability console passphrase';

const form = async (url: string, path: string, params: Record<string, string>) => {
  const response = await fetch(`${url}${path}`, {
    method: 'POST',
    headers: { 'content-type': 'application/x-www-form-urlencoded' },
    body: new URLSearchParams(params).toString(),
  });
  return { status: response.status, json: (await response.json().catch(() => ({}))) as Record<string, any> };
};

async function register(url: string, email: string): Promise<{ userId: string; accessToken: string }> {
  const response = await request(url, 'POST', '/login-flow/register', {
    firstName: 'Re',
    lastName: 'Liability',
    email,
    password: PASSWORD,
    approveTermsOfUse: 'on',
  });
  const accessToken = response.json?.access_token as string;
  return { userId: String(decodeJwt(accessToken).sub), accessToken };
}

/**
 * A thief holding a victim's access token approves many TV codes at once
 * while support signs the victim out through the console
 * (`POST /admin/users/{id}/sign-out`). Every TV then polls; whatever tokens
 * come out must not act for the victim (`/login-flow/me`, refresh). Before
 * the sign-out set the user's cut and the approval checked it in its own
 * write, 5-12 approvals per round survived as 30-day TV sessions.
 */
export async function consoleSignOutPart(harness: Harness, rounds: number, approvals: number): Promise<Part> {
  const part = new Part(`Bursts: ${approvals} TV approvals with a victim's token racing the console sign-out, ${rounds} rounds`);
  const url = harness.stack.url;
  const operator = await register(url, OPERATOR);
  await harness.markVerified(OPERATOR);
  // The console needs a two-factor session (FACTOR_POLICY_ENFORCED, docs/security.md): confirming an authenticator app marks this one so.
  await enrolTotp(url, operator.accessToken);
  const asOperator = { authorization: `Bearer ${operator.accessToken}` };

  let survivors = 0;
  let landedBeforeCut = 0;
  for (let round = 0; round < rounds; round += 1) {
    const victim = await register(url, `reliability.victim.${round}.${Date.now()}@example.com`);
    // A stolen token is older than the cut: "sessions not before" and `iat` count whole seconds.
    await new Promise((resolve) => setTimeout(resolve, 1100));
    const grants = await Promise.all(Array.from({ length: approvals }, () => form(url, '/oauth/device_authorization', { client_id: TV_CLIENT })));
    const approve = (userCode: string) =>
      request(url, 'POST', '/activate/decision', { user_code: userCode, decision: 'approve' }, { authorization: `Bearer ${victim.accessToken}` });
    const racing = grants.map((grant, index) => new Promise((resolve) => setTimeout(resolve, index * 2)).then(() => approve(grant.json.user_code)));
    // Later each round, so the cut falls before, among and after the approvals.
    const signOut = new Promise((resolve) => setTimeout(resolve, round * 60)).then(() =>
      request(url, 'POST', `/admin/users/${victim.userId}/sign-out`, undefined, asOperator),
    );
    const [decisions, signedOut] = await Promise.all([Promise.all(racing), signOut]);
    const polls = await Promise.all(
      grants.map((grant) =>
        form(url, '/oauth/token', { grant_type: 'urn:ietf:params:oauth:grant-type:device_code', device_code: grant.json.device_code, client_id: TV_CLIENT }),
      ),
    );
    const issued = polls.filter((poll) => poll.status === 200);
    const working = await Promise.all(
      issued.map(async (poll) => {
        const me = await request(url, 'GET', '/login-flow/me', undefined, { authorization: `Bearer ${poll.json.access_token}` });
        const refresh = await form(url, '/oauth/token', { grant_type: 'refresh_token', refresh_token: poll.json.refresh_token, client_id: TV_CLIENT });
        return me.status === 200 || refresh.status === 200;
      }),
    );
    const approved = decisions.filter((decision) => decision.status === 200).length;
    const answers = new Map<number, number>();
    for (const decision of decisions) answers.set(decision.status, (answers.get(decision.status) ?? 0) + 1);
    landedBeforeCut += approved;
    survivors += working.filter(Boolean).length;
    part.note(
      `round ${round + 1}: sign-out ${signedOut.status}; approvals answered ${JSON.stringify(Object.fromEntries(answers))}; ${issued.length} TV polls got tokens; ${working.filter(Boolean).length} of those still work`,
    );
  }
  part.check(survivors === 0, `0 TV sessions or device grants from before the cut work after it (${survivors} survived)`);
  part.check(landedBeforeCut > 0, `the race was real: ${landedBeforeCut} approvals landed before the cut and were voided`);
  return part;
}
