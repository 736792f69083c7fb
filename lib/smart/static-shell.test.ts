import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { sha256Source } from './content-policy';
import { inlineSourceHashes, offlineShellHashes } from './static-shell';

const HTML = `<!DOCTYPE html><html><head><script src="/_next/static/chunks/a.js" async=""></script><style>body{color:red}</style></head>
<body><script>(self.__next_f=self.__next_f||[]).push([0])</script><script>self.__next_f.push([1,"x"])</script><script id="empty"></script></body></html>`;

describe('inlineSourceHashes', () => {
  it('hashes every inline script and style, and no script that has a src', () => {
    const h = inlineSourceHashes(HTML);
    expect(h.scripts).toEqual([sha256Source('(self.__next_f=self.__next_f||[]).push([0])'), sha256Source('self.__next_f.push([1,"x"])')]);
    expect(h.styles).toEqual([sha256Source('body{color:red}')]);
  });

  it('follows the build: a rebuilt shell gives new hashes, no shell gives none', () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'hc-shell-'));
    const file = path.join(dir, 'offline.html');
    expect(offlineShellHashes(file)).toBeUndefined();
    fs.writeFileSync(file, '<script>one()</script>');
    expect(offlineShellHashes(file)?.scripts).toEqual([sha256Source('one()')]);
    fs.writeFileSync(file, '<script>two()</script>');
    fs.utimesSync(file, new Date(), new Date(Date.now() + 5_000));
    expect(offlineShellHashes(file)?.scripts).toEqual([sha256Source('two()')]);
  });
});
