/** POST /login-flow/web-sign-in/{provider}/callback: Apple's form_post answer, the same callback as Google's GET (its own function and operation). */
export { handler } from './web-sign-in-callback';
