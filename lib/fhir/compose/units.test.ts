import { describe, expect, it } from 'vitest';
import { humanUnit, quantityUnit, withUnit } from './units';

describe('units for people (issue 13)', () => {
  it.each([
    // [unit, code, shown]
    [undefined, 'mm[Hg]', 'mmHg'],
    ['mm[Hg]', 'mm[Hg]', 'mmHg'],
    [undefined, 'Cel', '°C'],
    ['C', 'Cel', '°C'],
    [undefined, '[degF]', '°F'],
    [undefined, '[lb_av]', 'lb'],
    [undefined, '[in_i]', 'in'],
    [undefined, 'kg/m2', 'kg/m²'],
    ['kg/m2', 'kg/m2', 'kg/m²'],
    [undefined, '10*3/uL', '×10³/µL'],
    ['10*3/uL', '10*3/uL', '×10³/µL'],
    [undefined, '10*6/uL', '×10⁶/µL'],
    [undefined, '10*9/L', '×10⁹/L'],
    [undefined, '{score}', ''],
    ['{score}', '{score}', ''],
    [undefined, '/min', '/min'],
    [undefined, '{beats}/min', '/min'],
    ['{breaths}/min', undefined, '/min'],
    [undefined, '%', '%'],
    [undefined, 'mg/dL', 'mg/dL'],
    [undefined, 'mmol/L', 'mmol/L'],
    [undefined, 'umol/L', 'µmol/L'],
    [undefined, 'g/dL', 'g/dL'],
    [undefined, 'cm', 'cm'],
    [undefined, 'kg', 'kg'],
    [undefined, 'meq/L', 'mEq/L'],
    [undefined, '[IU]/L', 'IU/L'],
    [undefined, 'mL/min/{1.73_m2}', 'mL/min/1.73 m²'],
    // Human units are kept as the source wrote them.
    ['beats/minute', '/min', 'beats/minute'],
    ['breaths/min', '/min', 'breaths/min'],
    ['mmHg', 'mm[Hg]', 'mmHg'],
    ['units/L', undefined, 'units/L'],
    // Codes not in the table are rewritten, never shown raw.
    [undefined, '{cells}/uL', '/µL'],
    [undefined, '10*4/uL', '×10⁴/µL'],
    [undefined, '[ft_i]', 'ft'],
    [undefined, 'ug/mL', 'µg/mL'],
    [undefined, undefined, undefined],
    ['__proto__', undefined, '__proto__'],
    [undefined, 'constructor', 'constructor'],
  ])('unit %s, code %s → %s', (unit, code, shown) => {
    expect(humanUnit(unit, code)).toBe(shown);
  });

  it('reads a Quantity and joins a value to its unit', () => {
    expect(quantityUnit({ value: 1, code: 'mm[Hg]' })).toBe('mmHg');
    expect(quantityUnit(null)).toBeUndefined();
    expect(withUnit('120', 'mmHg')).toBe('120 mmHg');
    expect(withUnit('97', '%')).toBe('97%');
    expect(withUnit('72', '/min')).toBe('72/min');
    expect(withUnit('3', '')).toBe('3');
    expect(withUnit('5.4', '×10³/µL')).toBe('5.4 ×10³/µL');
  });
});
