'use client';
import { useId, useState } from 'react';
import { attachmentRefusalText, checkAttachmentFile, MESSAGE_ATTACHMENT_MAX_BYTES, MESSAGE_ATTACHMENT_MAX_FILES, MESSAGE_ATTACHMENT_TYPES } from '@/lib/fhir/compose/attachments';
import type { MessageDraft } from './message-draft';

type DraftAttachment = MessageDraft['attachments'][number];

function base64Of(bytes: Uint8Array): string {
  let binary = '';
  for (let i = 0; i < bytes.length; i += 0x8000) binary += String.fromCharCode(...bytes.subarray(i, i + 0x8000));
  return btoa(binary);
}

function kb(size: number): string {
  return size >= 1024 * 1024 ? `${(size / 1024 / 1024).toFixed(1)} MB` : `${Math.max(1, Math.round(size / 1024))} KB`;
}

/**
 * Photos and PDFs to send with a message: each file is checked by its type, its first bytes and
 * its size before it is kept (attachments.ts, the same rules the proxy applies again), and a
 * refused file says why and what may be sent instead. Nothing already chosen is lost by a refusal.
 */
export function AttachmentPicker({ value, onChange, disabled }: { value: DraftAttachment[]; onChange: (next: DraftAttachment[]) => void; disabled?: boolean }) {
  const id = useId();
  const [refusal, setRefusal] = useState('');
  const total = value.reduce((n, a) => n + a.size, 0);

  async function add(files: FileList | null) {
    setRefusal('');
    const added: DraftAttachment[] = [];
    for (const file of Array.from(files ?? [])) {
      if (value.length + added.length >= MESSAGE_ATTACHMENT_MAX_FILES || total + added.reduce((n, a) => n + a.size, 0) + file.size > MESSAGE_ATTACHMENT_MAX_BYTES) {
        setRefusal(`${file.name}: ${attachmentRefusalText('attachment-too-large')}`);
        break;
      }
      // Only the head is read to judge the type; the whole file only once it passed.
      const head = new Uint8Array(await file.slice(0, 32).arrayBuffer());
      const refused = checkAttachmentFile({ contentType: file.type, bytes: head, size: file.size });
      if (refused) {
        setRefusal(`${file.name}: ${attachmentRefusalText(refused)}`);
        break;
      }
      const bytes = new Uint8Array(await file.arrayBuffer());
      added.push({ contentType: file.type, data: base64Of(bytes), size: bytes.length, title: file.name.slice(0, 120) });
    }
    if (added.length) onChange([...value, ...added]);
  }

  return (
    <div className="space-y-2" data-testid="attachment-picker">
      <label htmlFor={id} className="inline-flex min-h-11 min-w-11 cursor-pointer items-center rounded-lg border border-gray-400 bg-white px-4 font-medium has-[:focus-visible]:outline-2 has-[:focus-visible]:outline-[var(--hc-accent,#1d4ed8)]">
        Attach a photo or PDF
        <input
          id={id}
          type="file"
          className="sr-only"
          accept={MESSAGE_ATTACHMENT_TYPES.join(',')}
          multiple
          disabled={disabled}
          data-testid="attachment-input"
          aria-describedby={`${id}-hint`}
          onChange={(e) => {
            void add(e.currentTarget.files);
            e.currentTarget.value = '';
          }}
        />
      </label>
      <p id={`${id}-hint`} className="text-sm text-gray-700">Photos (PNG, JPEG, GIF, WebP) or PDF, up to 5 MB in all, at most 3 files.</p>
      {refusal ? <p role="alert" className="text-red-800" data-testid="attachment-refused">{refusal}</p> : null}
      {value.length ? (
        <ul className="space-y-1" data-testid="attachment-list">
          {value.map((a, i) => (
            <li key={`${a.title}-${i}`} className="flex flex-wrap items-center gap-2">
              <span className="min-w-0 break-words">{a.title} ({kb(a.size)})</span>
              <button type="button" className="min-h-11 min-w-11 rounded-lg border border-gray-300 px-3" onClick={() => onChange(value.filter((_, j) => j !== i))}>
                Remove<span className="sr-only"> {a.title}</span>
              </button>
            </li>
          ))}
        </ul>
      ) : null}
    </div>
  );
}
