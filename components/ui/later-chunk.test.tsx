import { renderToStaticMarkup } from 'react-dom/server';
import { describe, expect, it } from 'vitest';
import { laterChunk, lazyView } from './later-chunk';

/**
 * What the server draws for a view whose code comes later is what the browser's first render
 * must match (hydration): the fallback, until the chunk is the tab's; then the view itself.
 */
type Module = { Hello: (p: { name: string }) => React.ReactElement };
const module: Module = { Hello: ({ name }) => <p>Hello {name}</p> };

describe('lazyView', () => {
  it('draws the fallback while its chunk has not arrived, and never asks for it on the server', () => {
    let asked = 0;
    const chunk = laterChunk<Module>(() => {
      asked += 1;
      return Promise.resolve(module);
    });
    const View = lazyView(chunk, (m) => m.Hello, <p role="status">Loading…</p>);
    expect(renderToStaticMarkup(<View name="Ada" />)).toBe('<p role="status">Loading…</p>');
    expect(asked).toBe(0);
  });

  it('draws the view once its chunk is there (handed over, as the offline shell does)', () => {
    const chunk = laterChunk<Module>(() => Promise.reject(new Error('no network')));
    chunk.provide(module);
    const View = lazyView(chunk, (m) => m.Hello);
    expect(renderToStaticMarkup(<View name="Ada" />)).toBe('<p>Hello Ada</p>');
  });

  it('draws nothing by default while waiting', () => {
    const View = lazyView(laterChunk<Module>(() => new Promise(() => {})), (m) => m.Hello);
    expect(renderToStaticMarkup(<View name="Ada" />)).toBe('');
  });
});
