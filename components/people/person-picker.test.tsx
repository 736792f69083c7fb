import { renderToStaticMarkup } from 'react-dom/server';
import { describe, expect, it } from 'vitest';
import { PersonPicker } from './person-picker';

const people = [
  { reference: 'Practitioner/prac-001', name: 'Dr. Quinn Placebo', role: 'GP', source: 'care-team' as const },
  { reference: 'Practitioner/prac-003', name: 'Nurse Riley Mockup', role: 'Practice nurse', source: 'care-team' as const },
];
const render = (props: Partial<Parameters<typeof PersonPicker>[0]> = {}) =>
  renderToStaticMarkup(<PersonPicker legend="Who should see your results?" people={people} isLoading={false} value={null} onChange={() => {}} {...props} />);

describe('PersonPicker', () => {
  it('is a labelled group of radios named by person and role, with a labelled search box, and no reference anywhere in the page', () => {
    const html = render({ value: 'Practitioner/prac-003' });
    expect(html).toMatch(/<fieldset[^>]*><legend[^>]*>Who should see your results\?<\/legend>/);
    expect(html.match(/type="radio"/g)).toHaveLength(2);
    expect(html).toContain('Dr. Quinn Placebo');
    expect(html).toContain('Practice nurse');
    expect(html).toMatch(/<label[^>]*for="([^"]+)-search"[^>]*>Search by name or role<input id="\1-search"/);
    expect(html.match(/<input type="radio"[^>]*>/g)?.map((r) => r.includes('checked=""'))).toEqual([false, true]);
    expect(html).not.toMatch(/prac-00|Practitioner\//);
  });

  it('says what to do when the list is loading, empty or could not be read, and offers no radios then', () => {
    expect(render({ people: undefined, isLoading: true })).toContain('Finding the people who care for you');
    expect(render({ people: [] })).toContain('Ask your clinic to add them to your care team');
    const failed = render({ people: undefined, outcome: 'network' });
    expect(failed).toContain('role="alert"');
    expect(failed).toContain('nothing has been shared or changed');
    for (const html of [render({ people: [] }), failed]) expect(html).not.toContain('type="radio"');
  });
});
