/**
 * The English catalogue: every key the pages, their scripts and the emails
 * use, one key per string, grouped by page (`home.*`, `login.*`, ...) and
 * by email (`email.reset.*`). Placeholders are `{name}`; a plural message
 * has one form per `Intl.PluralRules` category it needs (`one`, `other`).
 * `de.ts` and `es.ts` must have exactly these keys (a type error otherwise).
 */
export const en = {
  // The page shell (lambdas/web/page.ts): header, language switcher, footer.
  'shell.language': 'Language',
  'shell.languageSwitch': 'Change the language',
  'shell.support': 'Help and support',
  'shell.terms': 'Terms',
  'shell.privacy': 'Privacy',
  'shell.home': '{product} home page',

  // Forms the pages share (lambdas/web/markup.ts).
  'form.email': 'Email',
  'form.password': 'Password',
  'form.createAccount': 'Create account',
  'form.forgotPassword': 'Forgot password?',
  'form.sendLink': 'Send me a link',
  'form.sendNewLink': 'Send a new link',
  'form.needsJavaScript': 'This page needs JavaScript to {task}.',
  'form.otpLabel': 'Code from your authenticator app',
  'form.otpHint': 'The 6-digit code your app shows now.',
  'form.otpRecovery': 'Use a recovery code instead',
  'form.otpPasskey': 'Use a passkey instead',
  'form.passkeySignIn': 'Sign in with a passkey',
  'form.signIn': 'Sign in',
  'form.continueApple': 'Continue with Apple',
  'form.continueGoogle': 'Continue with Google',

  // GET /account (the sign-in step; the sections keep their English until moved here)
  'account.title': 'Your account',
  'account.signInHint': 'Sign in to manage your account and its security.',

  // GET /portal (the sign-in step)
  'portal.signInHint': "Use your account to manage your team's API credentials.",

  // GET /
  'home.title': 'Welcome',
  'home.intro': 'Sign in once and use the same account in the apps, on your TV and with our partners.',
  'home.nav': 'Where to go',
  'home.signup': 'Create an account',
  'home.signupHint': 'One account for the apps, your TV and our partners.',
  'home.account': 'Sign in to your account',
  'home.accountHint': 'Your profile, sign-in methods and second factors.',
  'home.activate': 'Connect a TV',
  'home.activateHint': 'Enter the code your TV shows to sign it in.',
  'home.portal': 'Developer portal',
  'home.portalHint': 'API credentials for your team.',
  'home.reset': 'Forgot your password?',
  'home.resetHint': 'Get a link to set a new one.',

  // GET /login
  'login.title': 'Sign in',
  'login.hintAstrato': 'Sign in with your account to open your analytics.',
  'login.hintAcronis': 'Sign in with your account to open your Acronis console.',
  'login.submit': 'Log In',
  'login.continue': 'Signed in. If {partner} does not open by itself,',
  'login.continueLink': 'continue to {partner}',
  'login.task': 'sign you in',
  'login.adminSummary': 'For administrators (shown on the local stack only)',
  // lambdas/web/scripts/login.ts
  'login.script.sent': 'We sent a new link to {email}. Open it, confirm, then sign in again.',
  'login.script.busy': 'Signing in, please wait.',
  'login.script.failed': 'Sign-in failed',
  'login.script.opening': 'Signed in. Opening {partner}.',
  'login.script.unreachable': 'The sign-in service could not be reached. Check your connection and try again.',

  // GET /verify-email
  'verify.title': 'Confirm your email',
  'verify.press': 'Press the button to confirm that this address is yours. Partners you sign in to through us rely on it.',
  'verify.confirm': 'Confirm my email',
  'verify.requestHint': 'Enter the email address of your account and we will send you a new confirmation link.',
  'verify.task': 'confirm your email',
  'verify.nextAccount': 'Sign in to your account',
  'verify.nextOr': 'or go to the',
  'verify.nextHome': 'home page',

  // Emails (lambdas/core/emails.ts): subject, text and html of each.
  'email.hello': 'Hello,',
  'email.helloName': 'Hello {name},',
  'email.signOff': 'The {product} team',
  'email.support': 'Help: {support}',
  'email.reset.subject': 'Reset your password',
  'email.reset.intro': 'Someone asked to reset the password of your account. If it was you, open this link to choose a new password:',
  'email.reset.introHtml': 'Someone asked to reset the password of your account. If it was you, choose a new password:',
  'email.reset.button': 'Choose a new password',
  'email.reset.expiry': {
    one: 'The link works once and expires in {count} minute.',
    other: 'The link works once and expires in {count} minutes.',
  },
  'email.reset.ignore': 'If you did not ask for this, ignore this email: your password stays as it is.',
  'email.changed.subject': 'Your password was changed',
  'email.changed.body': 'The password of your account was just changed, and every device was signed out.',
  'email.changed.notYou': 'If this was not you, reset your password now: {link}',
  'email.changed.notYouHtml': 'If this was not you, reset your password now:',
  'email.changed.button': 'Reset your password',
  'email.changed.bodyOthers': 'The password of your account was just changed, and every other device was signed out.',
  'email.changed.bodyKept': 'The password of your account was just changed. Your devices stay signed in.',
  'email.emailChange.subject': 'Confirm your new email address',
  'email.emailChange.intro': 'You asked to use this address for your account. Open the link and press "Use this email" to make the change.',
  'email.emailChange.button': 'Use this email',
  'email.emailChange.expiry':
    'The link works once and expires in {count} hours. Until then your account keeps its old address. If you did not ask for this, ignore this email.',
  'email.emailChangeNotice.subject': 'Your email address is about to change',
  'email.emailChangeNotice.asked': 'Someone signed in to your account asked to change its email address to {email}.',
  'email.emailChangeNotice.when': 'The change happens only when the link we sent to that address is opened.',
  'email.emailChangeNotice.notYou':
    'If this was not you: reset your password now (that signs out every device), then check the email address on your account page.',
  'email.emailChangeNotice.button': 'Reset your password',
  'email.emailChangeNotice.account': 'Your account: {link}',
  'email.emailChangeTaken.subject': 'This address already has an account',
  'email.emailChangeTaken.nothing': 'Someone asked to move another account to this email address. This address already has an account, so nothing was changed.',
  'email.emailChangeTaken.ifYou': 'If it was you, sign in to the account this address already has instead. If you forgot its password, reset it.',
  'email.emailChangeTaken.ifNot': 'If it was not you, you can ignore this email.',
  'email.emailChangeTaken.button': 'Sign in',
  'email.emailChangeTaken.reset': 'Reset the password: {link}',
  'email.verify.subject': 'Confirm your email address',
  'email.verify.intro': 'Please confirm that this is your email address. Open this link and press "Confirm my email":',
  'email.verify.introHtml': 'Please confirm that this is your email address:',
  'email.verify.button': 'Confirm my email',
  'email.verify.expiry': {
    one: 'The link works once and expires in {count} hour.',
    other: 'The link works once and expires in {count} hours.',
  },
  'email.verify.ignore': 'If you did not create an account, ignore this email: nothing is confirmed without the click.',
  'email.invite.subjectTeam': '{inviter} invited you to join a team on the developer portal',
  'email.invite.subjectAdmin': '{inviter} invited you to become a portal admin',
  'email.invite.subjectUserAdmin': '{inviter} invited you to become a user admin',
  'email.invite.lineTeamNamed': '{inviter} invited you to join the team "{team}" on the developer portal.',
  'email.invite.lineTeam': '{inviter} invited you to join their team on the developer portal.',
  'email.invite.lineAdmin': '{inviter} invited you to become a portal admin on the developer portal.',
  'email.invite.lineUserAdmin': '{inviter} invited you to become a user admin on the developer portal.',
  'email.invite.grantsTeam': "As a member you share the team's API credentials and may invite or remove teammates.",
  'email.invite.grantsAdmin': 'A portal admin sees every team and its API credentials, and may invite other portal admins and user admins.',
  'email.invite.grantsUserAdmin':
    'A user admin uses the operator console: reads user accounts, signs users out, unlocks, disables, re-sends verification and deletes accounts.',
  'email.invite.signIn': 'Sign in (or create an account) with this email address, then open:',
  'email.invite.signInHtml': 'Sign in (or create an account) with this email address, then accept:',
  'email.invite.button': 'Open the invitation',
  'email.invite.expiry': 'The invitation works once, until {expires}. If you did not expect it, ignore this email.',
} as const;
