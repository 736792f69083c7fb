import { renderToStaticMarkup } from 'react-dom/server';
import { afterEach, describe, expect, it } from 'vitest';
import { answers } from './answer-store';
import { useAnswer, useAnswerPages } from './use-answer';

/**
 * What the server renders is what the browser's first render must match (hydration): these
 * render on the server, where nothing is ever fetched and the tab's store is never read.
 */
const KEY = '/api/l/launch-1/fhir/Condition?_count=100';
const never = () => new Promise<string>(() => {});

function One({ seeded, k = KEY }: { seeded?: string; k?: string | null }) {
  const view = useAnswer(k, never, seeded === undefined ? {} : { fallback: seeded, revalidateOnMount: false });
  return <p data-loading={String(view.isLoading)}>{view.data ?? 'nothing yet'}</p>;
}

function Pages({ seeded }: { seeded?: string[] }) {
  const view = useAnswerPages<string>(KEY, () => null, never, seeded === undefined ? {} : { fallback: seeded, revalidateOnMount: false });
  return <p data-loading={String(view.isLoading)}>{view.pages.join(',') || 'nothing yet'}</p>;
}

afterEach(() => answers.set(KEY, undefined));

describe('useAnswer on the server', () => {
  it('renders an answer the page came with, not loading', () => {
    expect(renderToStaticMarkup(<One seeded="Asthma" />)).toBe('<p data-loading="false">Asthma</p>');
  });

  it('renders a key it will ask for on mount as loading, as the browser\'s first render does', () => {
    expect(renderToStaticMarkup(<One />)).toBe('<p data-loading="true">nothing yet</p>');
  });

  it('renders nothing asked as not loading', () => {
    expect(renderToStaticMarkup(<One k={null} />)).toBe('<p data-loading="false">nothing yet</p>');
  });

  it('never reads the tab\'s store on the server: an answer there does not reach the HTML', () => {
    answers.set(KEY, 'from another render');
    expect(renderToStaticMarkup(<One />)).toBe('<p data-loading="true">nothing yet</p>');
  });
});

describe('useAnswerPages on the server', () => {
  it('renders the pages the page came with, and loading when it will ask', () => {
    expect(renderToStaticMarkup(<Pages seeded={['p1']} />)).toBe('<p data-loading="false">p1</p>');
    expect(renderToStaticMarkup(<Pages />)).toBe('<p data-loading="true">nothing yet</p>');
  });
});
