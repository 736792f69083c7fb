'use client';

/**
 * Hands a file made in the browser to the person (a download), through a short-lived `blob:`
 * URL: nothing about it travels to a server or sits in a URL anyone logs. The URL is revoked
 * once the browser has taken the file.
 */
export function saveFile(blob: Blob, fileName: string): void {
  const url = URL.createObjectURL(blob);
  const a = document.createElement('a');
  a.href = url;
  a.download = fileName;
  a.rel = 'noopener';
  document.body.append(a);
  a.click();
  a.remove();
  setTimeout(() => URL.revokeObjectURL(url), 60_000);
}
