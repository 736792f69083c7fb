import { renderToString } from 'react-dom/server';
import { prerender } from 'react-dom/static';
import { describe, expect, it } from 'vitest';
import { laterChunk } from './later-chunk';
import { laterView } from './later-view';

function Greeting({ name }: { name: string }) {
  return <p data-testid="greeting">Hello {name}</p>;
}

async function html(node: React.ReactNode): Promise<string> {
  const { prelude } = await prerender(node);
  return new Response(prelude).text();
}

describe('laterView', () => {
  it('draws the view at once when its chunk is here (a page rendered after the first, or one that provided the module)', () => {
    const chunk = laterChunk(async () => ({ Greeting }));
    chunk.provide({ Greeting });
    const Later = laterView(chunk, (m) => m.Greeting);
    expect(renderToString(<Later name="Ada" />)).toContain('Hello <!-- -->Ada');
  });

  it('on the server, waits for the chunk and draws the view; while it waits it draws no loading line', async () => {
    let arrive!: (m: { Greeting: typeof Greeting }) => void;
    const chunk = laterChunk(() => new Promise<{ Greeting: typeof Greeting }>((resolve) => (arrive = resolve)));
    const Later = laterView(chunk, (m) => m.Greeting);
    // A render that cannot wait shows the fallback: nothing, not "Loading…".
    const early = renderToString(<Later name="Ada" />);
    expect(early).not.toContain('Loading');
    expect(early).not.toContain('Hello');
    // A render that waits (as the page's does) has the view once the chunk arrived.
    const whole = html(<Later name="Ada" />);
    arrive({ Greeting });
    expect(await whole).toContain('Hello <!-- -->Ada');
    expect(chunk.loaded?.Greeting).toBe(Greeting);
  });
});
