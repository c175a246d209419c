/**
 * Admins without a two-factor session (403 mfa_required, docs/security.md): the same Security section as /account leads them
 * through enrolment (or, with a factor already, a step-up), and confirming it marks this session; then the admin parts open.
 */
import { $ } from '../form';
import { text } from '../page-texts';
import type { PortalAnswer } from '../portal-api';
import { isMfaRequired } from '../second-factor';
import { securitySection } from '../security';
import { say } from './dom';
import { askStepUp, send } from './session';

let gateSecurity: ReturnType<typeof securitySection> | null = null;
let gateShown = false;
let gateDrawn: Promise<void> = Promise.resolve();
let reopenAdminParts: () => void = () => undefined;

export function secondFactorNeeded(result: PortalAnswer): boolean {
  if (result.status !== 403 || !isMfaRequired(result.body)) return false;
  if (gateShown) return true;
  gateShown = true;
  $('factor-gate').hidden = false;
  gateDrawn = drawGate();
  gateDrawn.then(() => $('factor-gate-title').focus());
  return true;
}

function drawGate(): Promise<void> {
  return (gateSecurity?.load() ?? Promise.resolve(undefined)).then((list) => {
    const hasFactor = !!list && list.factors.length > 0;
    $('factor-gate-step-up').hidden = !hasFactor;
    $('factor-gate-text').textContent = text(hasFactor ? 'portal.script.gateStepUpText' : 'portal.gateEnrol');
  });
}

/** After the page switched language: the open gate's text and factor list are drawn again in it. */
export function redrawFactorGate(): Promise<void> {
  return gateShown ? gateDrawn.then(drawGate) : Promise.resolve();
}

function openAdminParts(text: string): void {
  gateShown = false;
  $('factor-gate-text').textContent = text;
  $('factor-gate-step-up').hidden = true;
  // The recovery codes (first factor) stay on screen until the person says they are stored.
  if ($('recovery-panel').hidden) closeGate();
  reopenAdminParts();
}

function closeGate(): void {
  $('factor-gate').hidden = true;
  gateSecurity?.reset();
}

/** On sign-out: the gate closes and asks again next time. */
export function resetFactorGate(): void {
  closeGate();
  gateShown = false;
}

/** Wires the gate; `reloadTeam` opens the admin parts once the session has its second factor. */
export function wireFactorGate(reloadTeam: () => void): void {
  reopenAdminParts = reloadTeam;
  gateSecurity = securitySection({ send, say, onFactorAdded: () => openAdminParts(text('portal.script.factorAdded')) });
  $('factor-gate-step-up').addEventListener('click', () => {
    askStepUp().then((stepped) => {
      if (stepped) openAdminParts(text('portal.script.confirmed'));
    });
  });
  $('recovery-stored').addEventListener('click', () => {
    if (!gateShown) closeGate();
  });
}
