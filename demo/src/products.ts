import { DEPARTMENTS } from './product-templates/departments.ts';
import { generateProducts, type ShopProduct } from './product-templates/generate.ts';

export type { ShopProduct };

/** Every product the shop sells (built into the pages and imported into the collector). */
export const PRODUCTS: readonly ShopProduct[] = generateProducts();

/** Department labels: the shop's navigation and the drawer's interest labels. */
export const DEPARTMENT_LABELS: readonly string[] = DEPARTMENTS.map((d) => d.label);

const byId = new Map(PRODUCTS.map((p) => [p.id, p]));
export const productById = (id: string): ShopProduct | undefined => byId.get(id);

export const slug = (label: string) => label.toLowerCase().replace(/[^a-z0-9]+/g, '-');
