/**
 * The pages opened from an emailed link (password reset, email confirmation):
 * a main step, a "send me a new link" form for a used, expired or missing
 * link, and a done notice. Both share the sections, the busy flag and the
 * request-a-new-link form; each adds its own main step.
 */
import {
  $,
  type Answer,
  type ApiBody,
  apiBase,
  buttonById,
  clearErrors,
  field,
  inputById,
  pageText,
  postJson,
  readPageData,
  setBusy,
  showErrors,
  showOnly,
} from './form';

/** What the server knew about the link when it served the page. */
export interface LinkPageData {
  state: 'valid' | 'used' | 'expired' | 'invalid' | 'none' | 'unchecked';
  token: string;
  problem: string;
  /** An allow-listed `return_to` (the server dropped any other): the success's "Continue". */
  returnTo?: string;
  /** The page's texts in its language (`linkPageMessages` in ../markup.ts and the page's own). */
  messages?: Record<string, string>;
}

export interface LinkPageOptions<T extends LinkPageData> {
  /** The page's own path, to find the API next to it. */
  pagePath: RegExp;
  /** The id of the main step's section. */
  mainSection: string;
  /** The title while no problem with the link is shown. */
  title: string;
  /** The API path that emails a new link. */
  resendPath: string;
  /** What the done notice says after a new link was requested. */
  resent: (email: string, data: T) => string;
}

export function linkPage<T extends LinkPageData>(options: LinkPageOptions<T>) {
  const data = readPageData<T>();
  // The shared texts come in the page's language from its `messages` (web/markup.ts `linkPageMessages`); the catalogue is their one home.
  const say = (key: string) => pageText(data.messages, `link.script.${key}`);
  const base = apiBase(options.pagePath);
  const status = $('status');
  let busy = false;
  dropToken();

  const show = (section: string) => showOnly([options.mainSection, 'request-link', 'done'], section);

  function offerNewLink(problem: string | undefined): void {
    $('title').textContent = problem ? say('cannotUse') : options.title;
    $('link-problem').textContent = problem || '';
    $('link-problem').hidden = !problem;
    show('request-link');
    if (problem) $('title').focus();
    else $('email').focus();
  }

  /** `withNext`: the page's own success, whose next step (`#done-next`) follows; a new link requested has none. */
  function finish(title: string, message: string, withNext = false): void {
    $('title').textContent = title;
    $('done-text').textContent = message;
    $('done-next').hidden = !withNext;
    if (withNext && data.returnTo && !$('return-to')) {
      const link = document.createElement('a');
      link.id = 'return-to';
      link.href = data.returnTo;
      link.textContent = say('continue');
      const line = document.createElement('p');
      line.className = 'next';
      line.appendChild(link);
      $('done-next').before(line);
    }
    show('done');
    $('title').focus();
  }

  const page = {
    data,
    token: data.token || '',
    show,
    offerNewLink,
    finish,
    isBusy: () => busy,
    busy(button: HTMLButtonElement, on: boolean, message = ''): void {
      busy = on;
      setBusy([button], on, { element: status, message });
    },
    send: <R = ApiBody>(path: string, payload: unknown): Promise<Answer<R>> => postJson<R>(base + path, payload),
    /** Starts the page: the main step for a usable (or unchecked) link, else the new-link form. */
    start(onMain: () => void): void {
      if (data.state === 'valid' || data.state === 'unchecked') {
        show(options.mainSection);
        onMain();
      } else {
        offerNewLink(data.problem || '');
      }
    },
  };

  const requestSlots = { formError: 'request-form-error', fields: [field('email')] };
  $('request-form').addEventListener('submit', (event) => {
    event.preventDefault();
    if (busy) return;
    clearErrors(requestSlots);
    const email = inputById('email').value.trim();
    if (!email) {
      // One message, once: the field says what is missing, the form-level line only points at it.
      showErrors(requestSlots, { formError: say('fillIn'), fieldErrors: { email: say('enterEmail') } }, 0);
      return;
    }
    const submit = buttonById('request-submit');
    page.busy(submit, true, say('sending'));
    page
      .send(options.resendPath, { email })
      .then((result) => {
        page.busy(submit, false);
        if (!result.ok) return showErrors(requestSlots, result.body, result.status);
        finish(say('checkEmail'), options.resent(email, data));
      })
      .catch(() => {
        page.busy(submit, false);
        showErrors(requestSlots, { formError: say('unreachable') }, 0);
      });
  });

  return page;
}

// The token has done its job in the address bar: keep it out of history and bookmarks.
function dropToken(): void {
  if (window.history?.replaceState && window.location.search) {
    window.history.replaceState(null, '', window.location.pathname);
  }
}
