/**
 * Client-side helpers shared by the pages' inline scripts (interpolated into
 * each page's script, so the CSP hash covers them): per-field messages with
 * aria-invalid, the form error, focus on the first field in error, and `send`
 * (a JSON POST to the API next to the page, answering `{ok, status, body}`).
 * They expect `$` (getElementById) and `base` (the API's path prefix) in the
 * enclosing scope, fields with ids `<name>` and `<name>-error`, and a
 * `<form id>-error` slot.
 */
export const FORM_HELPERS = `
  function setFieldError(name, message) {
    var input = $(name);
    var slot = $(name + '-error');
    if (message) input.setAttribute('aria-invalid', 'true');
    else input.removeAttribute('aria-invalid');
    slot.textContent = typeof message === 'string' ? message : '';
  }

  function clearErrors(form, fields) {
    $(form.id + '-error').textContent = '';
    fields.forEach(function (name) { setFieldError(name, null); });
  }

  function showErrors(form, fields, body, httpStatus) {
    var fieldErrors = (body && typeof body.fieldErrors === 'object' && body.fieldErrors) || {};
    var first = null;
    fields.forEach(function (name) {
      if (fieldErrors[name]) {
        setFieldError(name, fieldErrors[name]);
        if (!first) first = name;
      }
    });
    $(form.id + '-error').textContent = (body && typeof body.formError === 'string' && body.formError) ||
      (httpStatus ? 'That did not work (HTTP ' + httpStatus + '). Please try again.' : 'That did not work. Please try again.');
    $(first || fields[0]).focus();
  }

  function send(path, payload) {
    return fetch(base + path, {
      method: 'POST',
      headers: { 'Content-Type': 'application/json', Accept: 'application/json' },
      body: JSON.stringify(payload),
      credentials: 'omit',
      cache: 'no-store'
    }).then(function (response) {
      return response.json().catch(function () { return null; }).then(function (body) {
        return { ok: response.ok, status: response.status, body: body };
      });
    });
  }
`;
