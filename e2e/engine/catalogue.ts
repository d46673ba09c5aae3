/** Products for the engine scenarios: two clearly different interests, and labels to name them. */
export const SPORTS = [
  'Trail running shoes with grippy lugs',
  'Lightweight road running shoes',
  'Running hydration vest with soft flasks',
  'Moisture-wicking running shirt',
  'Compression running socks',
  'GPS running watch with heart rate',
  'Reflective running jacket',
  'Running shorts with zip pocket',
  'Marathon training energy gels',
  'Sports headband for runners',
];

export const KITCHEN = [
  'Stainless steel saucepan 2 litre',
  'Cast iron frying pan 28 cm',
  'Non-stick wok with lid',
  'Chef knife 20 cm',
  'Wooden cutting board',
  'Enamel dutch oven casserole',
  'Silicone baking mat',
  'Kitchen mixing bowls set',
  'Stainless steel stock pot',
  'Pancake pan for crepes',
];

export const LABELS = ['running and sports gear', 'kitchen cookware and cooking', 'books and reading', 'garden tools'];

let seq = 0;
/** A view event in the wire shape the tag sends. */
export function view(title: string, category: string, ts = Date.now() + seq) {
  seq++;
  return {
    id: `e${seq}-${Math.random().toString(36).slice(2)}`,
    type: 'view',
    ts,
    product: { id: `p-${title}`, title, category },
  };
}
