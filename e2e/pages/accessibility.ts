import AxeBuilder from '@axe-core/playwright';
import type { Frame, Page } from '@playwright/test';

export interface Finding {
  id: string;
  impact: string;
  targets: string[];
}

/**
 * Serious and critical axe violations inside Housecall's frame. The EHR page around it is the
 * sandbox's, not Housecall's, so findings there are left out (a node inside a frame has a
 * target path longer than one selector). Note: AxeBuilder finishes its run in a new blank page,
 * after which this headless Chromium stops routing mouse clicks into the cross-site frame, so
 * tests move between views by URL after a check. (Legacy mode avoids the blank page but does
 * not see inside the cross-site frame at all: the self-check in chart.spec.ts catches that.)
 */
export async function seriousViolationsInApp(page: Page): Promise<Finding[]> {
  const results = await new AxeBuilder({ page }).withTags(['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa', 'wcag22aa', 'best-practice']).analyze();
  return results.violations
    .filter((v) => v.impact === 'serious' || v.impact === 'critical')
    .flatMap((v) => {
      const nodes = v.nodes.filter((n) => Array.isArray(n.target) && n.target.length > 1);
      return nodes.length ? [{ id: v.id, impact: v.impact ?? '', targets: nodes.map((n) => JSON.stringify(n.target)) }] : [];
    });
}

/** Interactive elements in the frame smaller than 44 × 44 CSS pixels (WCAG 2.5.5 target size). */
export async function smallTouchTargets(frame: Frame): Promise<string[]> {
  return frame.evaluate(() => {
    const out: string[] = [];
    for (const el of document.querySelectorAll<HTMLElement>('a[href], button, summary, input, select, textarea')) {
      const r = el.getBoundingClientRect();
      const style = getComputedStyle(el);
      if (r.width === 0 || r.height === 0 || style.visibility === 'hidden') continue;
      if (el.closest('.sr-only')) continue;
      if (r.height < 44 || r.width < 44) out.push(`${el.tagName.toLowerCase()} "${(el.textContent ?? '').trim().slice(0, 40)}" ${Math.round(r.width)}×${Math.round(r.height)}`);
    }
    return out;
  });
}

/**
 * For a top-level Housecall page: controls under 44 × 44 CSS pixels inside `targets`, and serious
 * or critical axe findings inside `axeScopes` (by default the same selectors).
 */
export async function problemsWithin(page: Page, targets: string[], axeScopes: string[] = targets): Promise<string[]> {
  const small = await page.evaluate((selectors) => {
    const out: string[] = [];
    for (const el of document.querySelectorAll<HTMLElement>(selectors.map((s) => `${s} :is(a[href], button, summary, input, select, textarea)`).join(','))) {
      const r = el.getBoundingClientRect();
      if (r.width > 0 && (r.height < 44 || r.width < 44)) out.push(`small target: ${el.tagName} "${(el.textContent ?? '').trim().slice(0, 30)}" ${Math.round(r.width)}×${Math.round(r.height)}`);
    }
    return out;
  }, targets);
  const axe = axeScopes.reduce((builder, scope) => builder.include(scope), new AxeBuilder({ page })).withTags(['wcag2a', 'wcag2aa', 'wcag21aa', 'wcag22aa']);
  const results = await axe.analyze();
  return [...small, ...results.violations.filter((v) => v.impact === 'serious' || v.impact === 'critical').map((v) => `axe: ${v.id}`)];
}

/**
 * Controls under 44 × 44 CSS pixels inside `scope` on a top-level page, where a control wrapped
 * in its label is judged by the label's box (tapping the label works the control, so the label
 * is the target: a radio row, a file input styled as a button) and visually hidden controls
 * count through their label only.
 */
export async function smallTargetsOnPage(page: Page, scope = 'main'): Promise<string[]> {
  return page.evaluate((selector) => {
    const out: string[] = [];
    for (const el of document.querySelectorAll<HTMLElement>(`${selector} :is(a[href], button, summary, input, select, textarea)`)) {
      const label = el.closest('label');
      const box = (label ?? el).getBoundingClientRect();
      if (box.width === 0 || getComputedStyle(el).visibility === 'hidden') continue;
      if (box.height < 44 || box.width < 44) out.push(`${el.tagName.toLowerCase()} "${((label ?? el).textContent ?? '').trim().slice(0, 30)}" ${Math.round(box.width)}×${Math.round(box.height)}`);
    }
    return out;
  }, scope);
}
