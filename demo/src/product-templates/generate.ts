import { seededRandom } from '@portrait/core';
import { type Product, SEED_PRODUCTS } from '@portrait/fixtures/seed-products';
import { DEPARTMENTS, type Department } from './departments.ts';

/** A shop product with the department the drawer groups interests by. */
export interface ShopProduct extends Product {
  department: string;
}

const PER_DEPARTMENT = 26;
const article = (word: string) => (/^[aeiou]/i.test(word) ? 'An' : 'A');

function sentence(template: string, variant: string): string {
  const a = variant.toLowerCase();
  return template.replace(/\b(A|An) \{a\}/, () => `${article(a)} ${a}`).replace('{a}', variant);
}

function generate(d: Department, random: () => number): ShopProduct[] {
  const combos = d.kinds.flatMap((kind) => d.variants.map((variant) => ({ kind, variant })));
  // Fisher-Yates with the seeded generator, then the first PER_DEPARTMENT combinations.
  for (let i = combos.length - 1; i > 0; i--) {
    const j = Math.floor(random() * (i + 1));
    [combos[i], combos[j]] = [combos[j] as (typeof combos)[number], combos[i] as (typeof combos)[number]];
  }
  return combos.slice(0, PER_DEPARTMENT).map(({ kind, variant }, i) => {
    const [lo, hi] = kind.price;
    const price = Math.round(lo + random() * (hi - lo)) - (random() < 0.6 ? 0.01 : 0);
    return {
      id: `${d.prefix}-${String(101 + i)}`,
      title: `${variant} ${kind.noun}`,
      description: `${sentence(kind.what, variant)} ${kind.why}`,
      brand: d.brands[Math.floor(random() * d.brands.length)] as string,
      price: Math.round(price * 100) / 100,
      category: `${d.root} > ${kind.leaf}`,
      department: d.label,
    };
  });
}

const departmentOf = (p: Product) => DEPARTMENTS.find((d) => p.id.startsWith(`${d.prefix}-`))?.label ?? 'Other';

/** The seed products (ids other tests rely on) followed by the generated ones. */
export function generateProducts(seed = 7): ShopProduct[] {
  // Seeded: the same products on every machine and every build, no data files.
  const random = seededRandom(seed);
  return [
    ...SEED_PRODUCTS.map((p) => ({ ...p, department: departmentOf(p) })),
    ...DEPARTMENTS.flatMap((d) => generate(d, random)),
  ];
}
