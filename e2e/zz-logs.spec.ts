import fs from 'node:fs';
import { expect, test } from '@playwright/test';
import { BIG_PATIENT, FIXTURE_PATIENTS } from '../fixtures';
import { SERVER_LOG } from '../scripts/env';

/**
 * Runs last (files run in name order, one worker): after every other e2e test has driven
 * launches, charts and errors through Housecall, its log must contain no patient data and no
 * tokens. The sandbox's patients are synthetic, so their names, MRNs and birth dates are
 * exactly the strings to look for.
 */
test('the server log of the whole run contains no patient data and no tokens', () => {
  const log = fs.readFileSync(SERVER_LOG, 'utf8');
  expect(log.length).toBeGreaterThan(1000); // the run really logged
  expect(log).toContain('"event":"proxy.request"');
  const people = [...FIXTURE_PATIENTS, BIG_PATIENT];
  const needles = people.flatMap((p) => [p.given, p.family, p.mrn, p.birthDate]).filter((n) => n.length >= 4);
  // Whole words only: a random identifier (a launch id is 24 letters and digits) may hold "Lena" by chance.
  const found = needles.filter((n) => new RegExp(`(?<![A-Za-z0-9_-])${n.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}(?![A-Za-z0-9_-])`).test(log));
  expect(found).toEqual([]);
  expect(log).not.toMatch(/Bearer\s+[A-Za-z0-9._-]{10,}/);
  expect(log).not.toMatch(/"(access_token|refresh_token|id_token)"\s*:\s*"[^[]/);
  expect(log).not.toMatch(/[?&](code|state)=[A-Za-z0-9_-]{10,}/);
});
