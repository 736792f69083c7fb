import { expect, test } from '@playwright/test';
import { StaffConsole } from './pages/staff-console';

test('a support member of staff signs in through the sandbox identity provider; the console is not framable and auditor pages answer 403', async ({ page }) => {
  const staff = new StaffConsole(page);
  await staff.signIn('staff-support-1');
  await expect(staff.who()).toHaveText('Robin Okafor · support');
  const home = await page.request.get('/staff');
  expect(home.status()).toBe(200);
  expect(home.headers()['x-frame-options']).toBe('DENY');
  expect(home.headers()['content-security-policy']).toContain("frame-ancestors 'none'");
  const audit = await page.goto('/staff/audit');
  expect(audit?.status()).toBe(403);
  await expect(page.getByTestId('staff-forbidden')).toBeVisible();
});
