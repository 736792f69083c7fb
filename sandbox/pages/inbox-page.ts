/**
 * `/ehr/inbox`: the signed-in clinician's messages from patients, in the manner of an EHR's
 * In Basket: newest first with unread ones marked, one message with its thread, and a reply
 * that lands in the patient's app. Rendering only; the routes are in inbox-routes.ts.
 */
import type { Communication } from '@medplum/fhirtypes';
import { html, page, type Html } from './html';

export interface InboxNames {
  /** A display name for `Type/id`, or undefined when unknown. */
  nameOf(reference: string | undefined): string | undefined;
}

const INBOX_CSS = `
.ehr-bar{display:flex;flex-wrap:wrap;gap:.5rem 1.5rem;align-items:center;justify-content:space-between;background:#123b5e;color:#fff;padding:.5rem 1rem}
.ehr-bar a{color:#fff;display:inline-flex;align-items:center;min-height:44px}
ul.inbox{list-style:none;padding:0;margin:0}
ul.inbox li{border-bottom:1px solid var(--line)}
ul.inbox a{display:block;min-height:44px;padding:.6rem .25rem;text-decoration:none;color:var(--ink)}
ul.inbox .unread{font-weight:700}
.badge{display:inline-block;background:#a3212a;color:#fff;border-radius:4px;padding:0 .4rem;font-size:.85rem;margin-right:.4rem}
.msg{background:#fff;border:1px solid var(--line);border-radius:8px;padding:.75rem;margin:.75rem 0}
.msg.mine{border-color:#0b5cad}
.msg p{white-space:pre-wrap;margin:.25rem 0}
textarea{width:100%;min-height:8rem;font:inherit;padding:.5rem;border:1px solid var(--muted);border-radius:6px}
`;

function bar(who: string): Html {
  return html`<header class="ehr-bar"><strong>Sandbox EHR · Inbox</strong><span>Signed in as <span data-testid="inbox-user">${who}</span></span><a href="/ehr">Patients</a></header>`;
}

function textOf(c: Communication): string {
  return (c.payload ?? []).map((p) => p.contentString ?? '').filter(Boolean).join('\n\n');
}

function attachmentsOf(c: Communication): Html[] {
  return (c.payload ?? []).flatMap((p) => {
    const a = p.contentAttachment;
    if (!a) return [];
    const size = a.data ? Math.round((a.data.length * 3) / 4 / 1024) : undefined;
    return [html`<li data-testid="inbox-attachment">${a.title ?? 'Attachment'} (${a.contentType ?? 'unknown type'}${size !== undefined ? `, ${size} KB` : ''})</li>`];
  });
}

/** The sign-in picker shown without an EHR session. */
export function inboxSignIn(practitioners: { id: string; displayName: string }[]): string {
  return page({
    title: 'Inbox · Sandbox EHR',
    css: INBOX_CSS,
    body: html`<main><h1>Inbox</h1><form method="get" action="/ehr/inbox/sign-in">
<label for="inbox-practitioner">Practitioner (you)</label>
<select id="inbox-practitioner" name="practitioner" required data-testid="inbox-practitioner">${practitioners.map((p) => html`<option value="${p.id}">${p.displayName}</option>`)}</select>
<div class="actions"><button type="submit" data-testid="inbox-sign-in">Open my inbox</button></div></form></main>`,
  });
}

/** The list: messages addressed to the clinician, newest first. */
export function inboxList(who: string, messages: Communication[], names: InboxNames): string {
  const unread = messages.filter((m) => !m.received).length;
  return page({
    title: 'Inbox · Sandbox EHR',
    css: INBOX_CSS,
    body: html`${bar(who)}<main><h1>Messages from patients</h1>
<p class="muted" data-testid="inbox-count">${messages.length} messages, ${unread} unread</p>
${messages.length === 0 ? html`<p>No messages.</p>` : html`<ul class="inbox" data-testid="inbox-list">${messages.map((m) => html`<li data-testid="inbox-item" data-unread="${m.received ? 'no' : 'yes'}"><a href="/ehr/inbox/${m.id ?? ''}" class="${m.received ? '' : 'unread'}">${m.received ? '' : html`<span class="badge">New</span>`}${names.nameOf(m.sender?.reference) ?? 'Unknown sender'} · ${m.topic?.text ?? 'Message'}<br><span class="muted">${(m.sent ?? '').replace('T', ' ').slice(0, 16)}</span></a></li>`)}</ul>`}
</main>`,
  });
}

/** One message with its thread and the reply form. */
export function inboxMessage(who: string, me: string, view: { message: Communication; thread: Communication[] }, names: InboxNames, notice?: { kind: 'sent' | 'error'; text: string }): string {
  const { message, thread } = view;
  const patient = names.nameOf(message.subject?.reference) ?? 'Unknown patient';
  return page({
    title: `${message.topic?.text ?? 'Message'} · Inbox · Sandbox EHR`,
    css: INBOX_CSS,
    body: html`${bar(who)}<main><p><a href="/ehr/inbox" class="button secondary" data-testid="inbox-back">Back to inbox</a></p>
<h1 data-testid="inbox-topic">${message.topic?.text ?? 'Message'}</h1><p>Patient: <strong data-testid="inbox-patient">${patient}</strong></p>
${notice ? html`<p role="${notice.kind === 'error' ? 'alert' : 'status'}" class="${notice.kind === 'error' ? 'error' : ''}" data-testid="inbox-notice">${notice.text}</p>` : ''}
<section aria-label="Conversation" data-testid="inbox-thread">${thread.map((c) => html`<article class="msg${c.sender?.reference === me ? ' mine' : ''}" data-testid="inbox-message" data-id="${c.id ?? ''}"><strong>${c.sender?.reference === me ? 'You' : names.nameOf(c.sender?.reference) ?? 'Unknown sender'}</strong> <span class="muted">${(c.sent ?? '').replace('T', ' ').slice(0, 16)}</span><p>${textOf(c)}</p>${attachmentsOf(c).length ? html`<ul>${attachmentsOf(c)}</ul>` : ''}</article>`)}</section>
<form method="post" action="/ehr/inbox/${message.id ?? ''}/reply"><label for="inbox-reply">Reply to ${patient}</label><textarea id="inbox-reply" name="text" required data-testid="inbox-reply-text"></textarea>
<div class="actions"><button type="submit" data-testid="inbox-reply-send">Send reply</button></div></form></main>`,
  });
}
