import { describe, expect, it } from 'vitest';
import { shellTarget } from './shell-target';

const id = 'AbCdEfGhIjKlMnOpQrSt_-12';

describe('shellTarget', () => {
  it('reads the launch and page of portal and chart URLs', () => {
    expect(shellTarget(`/l/${id}/portal`)).toEqual({ launchId: id, area: 'portal', page: '' });
    expect(shellTarget(`/l/${id}/portal/contact`)).toEqual({ launchId: id, area: 'portal', page: 'contact' });
    expect(shellTarget(`/l/${id}/chart/`)).toEqual({ launchId: id, area: 'chart', page: '' });
  });

  it('names nothing for other URLs or a malformed launch id', () => {
    for (const path of ['/', '/offline', `/l/${id}/signout`, '/l/short/portal', `/l/${id}/portal/a/b`, `/api/l/${id}/portal`]) expect(shellTarget(path)).toBeNull();
  });
});
