/** Transactional emails: each has a text part and an HTML part with the same content. */

const escapeHtml = (value: string) =>
  value.replace(/[&<>"']/g, (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' })[c]!);

function layout(title: string, paragraphs: string[], code?: string) {
  const html = `<!doctype html><html><body style="font-family:system-ui,sans-serif;color:#0f172a;max-width:560px;margin:auto;padding:24px">
<h1 style="font-size:20px">Skillyug</h1><h2 style="font-size:18px">${escapeHtml(title)}</h2>
${code ? `<p style="font-size:32px;letter-spacing:8px;font-weight:700;font-family:ui-monospace,monospace">${escapeHtml(code)}</p>` : ''}
${paragraphs.map((p) => `<p>${escapeHtml(p)}</p>`).join('\n')}
<p style="color:#64748b;font-size:12px">You received this email because of an action on your Skillyug account.</p>
</body></html>`;
  const text = [`Skillyug — ${title}`, '', ...(code ? [`Your code: ${code}`, ''] : []), ...paragraphs].join('\n');
  return { text, html };
}

export type OtpPurpose = 'verify' | 'reset';

export function otpEmail(purpose: OtpPurpose, code: string, minutes: number) {
  const subject = purpose === 'verify' ? `Your Skillyug verification code: ${code}` : `Your Skillyug password reset code: ${code}`;
  const body = layout(purpose === 'verify' ? 'Confirm your email' : 'Reset your password', [
    purpose === 'verify'
      ? 'Enter this code on Skillyug to confirm your email address and finish creating your account.'
      : 'Enter this code on Skillyug with your new password to reset it.',
    `The code expires in ${minutes} minutes and works once.`,
    "If you didn't ask for it, ignore this email: nothing changes without the code.",
  ], code);
  return { subject, ...body };
}

export function accountExistsEmail() {
  return {
    subject: 'Someone tried to sign up with your email on Skillyug',
    ...layout('You already have an account', [
      'Someone (maybe you) tried to create a Skillyug account with this email address, which already has one.',
      'If it was you, sign in instead, or use "Forgot password" to set a new password.',
    ]),
  };
}
