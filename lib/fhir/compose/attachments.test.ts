import { describe, expect, it } from 'vitest';
import { checkAttachmentFile, checkMessageAttachments, MESSAGE_ATTACHMENT_MAX_BYTES } from './attachments';

const PNG = new Uint8Array([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a, 0, 0, 0, 13]);
const JPEG = new Uint8Array([0xff, 0xd8, 0xff, 0xe0, 0, 16]);
const GIF = new TextEncoder().encode('GIF89a....');
const WEBP = new TextEncoder().encode('RIFF\x10\x00\x00\x00WEBPVP8 ');
const PDF = new TextEncoder().encode('%PDF-1.7\n%âãÏÓ');
const EXE = new TextEncoder().encode('MZ\x90\x00');
const b64 = (bytes: Uint8Array) => btoa(String.fromCharCode(...bytes));

describe('checkAttachmentFile', () => {
  it.each([
    ['image/png', PNG], ['image/jpeg', JPEG], ['image/gif', GIF], ['image/webp', WEBP], ['application/pdf', PDF], ['IMAGE/PNG; name=x', PNG],
  ])('accepts %s whose content matches', (contentType, bytes) => {
    expect(checkAttachmentFile({ contentType, bytes, size: bytes.length })).toBeUndefined();
  });

  it.each([
    ['an executable renamed to .png', 'image/png', EXE],
    ['a PDF declared as a photo', 'image/jpeg', PDF],
    ['a type not offered', 'image/svg+xml', new TextEncoder().encode('<svg')],
    ['no type at all', undefined, PNG],
    ['RIFF that is not WebP (a WAV)', 'image/webp', new TextEncoder().encode('RIFF\x10\x00\x00\x00WAVEfmt ')],
  ])('refuses %s by type', (_what, contentType, bytes) => {
    expect(checkAttachmentFile({ contentType, bytes, size: bytes.length })).toBe('attachment-type-not-allowed');
  });

  it('refuses a file over 5 MB, and accepts one of exactly 5 MB', () => {
    expect(checkAttachmentFile({ contentType: 'image/png', bytes: PNG, size: MESSAGE_ATTACHMENT_MAX_BYTES + 1 })).toBe('attachment-too-large');
    expect(checkAttachmentFile({ contentType: 'image/png', bytes: PNG, size: MESSAGE_ATTACHMENT_MAX_BYTES })).toBeUndefined();
  });
});

describe('checkMessageAttachments (the proxy side)', () => {
  it('accepts inline photos and PDFs', () => {
    expect(checkMessageAttachments([{ contentType: 'image/png', data: b64(PNG), size: PNG.length }, { contentType: 'application/pdf', data: b64(PDF) }])).toBeUndefined();
  });

  it('refuses a link instead of content, bad base64, a size that lies and a mismatched content', () => {
    expect(checkMessageAttachments([{ contentType: 'image/png', url: 'https://elsewhere.test/x.png' }])).toBe('attachment-type-not-allowed');
    expect(checkMessageAttachments([{ contentType: 'image/png', data: 'not base64!' }])).toBe('attachment-type-not-allowed');
    expect(checkMessageAttachments([{ contentType: 'image/png', data: b64(PNG), size: 3 }])).toBe('attachment-type-not-allowed');
    expect(checkMessageAttachments([{ contentType: 'image/png', data: b64(EXE) }])).toBe('attachment-type-not-allowed');
  });

  it('refuses more than 5 MB in all, and more than three files', () => {
    const big = new Uint8Array(3 * 1024 * 1024);
    big.set(PNG);
    let binary = '';
    for (let i = 0; i < big.length; i += 0x8000) binary += String.fromCharCode(...big.subarray(i, i + 0x8000));
    const data = btoa(binary);
    expect(checkMessageAttachments([{ contentType: 'image/png', data }])).toBeUndefined();
    expect(checkMessageAttachments([{ contentType: 'image/png', data }, { contentType: 'image/png', data }])).toBe('attachment-too-large');
    const small = { contentType: 'image/png', data: b64(PNG) };
    expect(checkMessageAttachments([small, small, small, small])).toBe('attachment-too-large');
  });
});
