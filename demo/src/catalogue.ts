/** A demo product; the shop renders these and the tag reads them back from the page. */
export interface Product {
  id: string;
  title: string;
  description: string;
  brand: string;
  price: number;
  category: string;
}

// A seed catalogue for the skeleton; the demo-shop issue grows it to hundreds of items.
export const CATALOGUE: readonly Product[] = [
  {
    id: 'run-001',
    title: 'Trail running shoes',
    description: 'Grippy lugs for muddy descents. Light enough for race day.',
    brand: 'Stridewell',
    price: 129,
    category: 'Sports > Running > Shoes',
  },
  {
    id: 'run-002',
    title: 'Road racing flats',
    description: 'A thin, fast shoe for 5K to half marathon. Breathable mesh upper.',
    brand: 'Stridewell',
    price: 109,
    category: 'Sports > Running > Shoes',
  },
  {
    id: 'run-003',
    title: 'Running hydration vest',
    description: 'Two soft flasks up front. Fits phone and keys without bounce.',
    brand: 'Ridgeline',
    price: 89,
    category: 'Sports > Running > Accessories',
  },
  {
    id: 'hike-001',
    title: 'Waterproof hiking boots',
    description: 'Leather boots with a membrane for wet trails. Ankle support for heavy packs.',
    brand: 'Ridgeline',
    price: 179,
    category: 'Outdoors > Hiking > Footwear',
  },
  {
    id: 'hike-002',
    title: 'Trekking poles, carbon',
    description: 'Folding poles that pack small. Cork grips stay dry.',
    brand: 'Summitry',
    price: 95,
    category: 'Outdoors > Hiking > Gear',
  },
  {
    id: 'kit-001',
    title: 'Stainless steel saucepan 2 L',
    description: 'Tri-ply base heats evenly. Oven safe up to 260 °C.',
    brand: 'Copperleaf',
    price: 59,
    category: 'Home > Kitchen > Cookware',
  },
  {
    id: 'kit-002',
    title: 'Cast iron frying pan 28 cm',
    description: 'Pre-seasoned and ready to sear. Lasts a lifetime.',
    brand: 'Copperleaf',
    price: 45,
    category: 'Home > Kitchen > Cookware',
  },
  {
    id: 'cof-001',
    title: 'Burr coffee grinder',
    description: 'Forty grind settings from espresso to cold brew. Quiet motor.',
    brand: 'Bean & Co',
    price: 139,
    category: 'Home > Coffee > Grinders',
  },
  {
    id: 'cof-002',
    title: 'Pour-over coffee dripper',
    description: 'Ceramic cone for bright, clean cups. Fits most mugs.',
    brand: 'Bean & Co',
    price: 29,
    category: 'Home > Coffee > Brewers',
  },
  {
    id: 'aud-001',
    title: 'Noise-cancelling headphones',
    description: 'Thirty hours of battery. Soft ear cushions for long flights.',
    brand: 'Sonance',
    price: 249,
    category: 'Electronics > Audio > Headphones',
  },
  {
    id: 'aud-002',
    title: 'Wireless sport earbuds',
    description: 'Sweat-proof with secure ear hooks. Made for running.',
    brand: 'Sonance',
    price: 99,
    category: 'Electronics > Audio > Earbuds',
  },
  {
    id: 'book-001',
    title: 'The Trail Runner’s Handbook',
    description: 'Training plans from 10K to ultra. Nutrition and gear advice.',
    brand: 'Northpage',
    price: 24,
    category: 'Books > Sports',
  },
];

export const productById = (id: string): Product | undefined => CATALOGUE.find((p) => p.id === id);
