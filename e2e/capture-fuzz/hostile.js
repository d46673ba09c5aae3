// Values no JSON can carry, built in the page: the fuzz cases pick them by index.
window.__hostile = () => {
  const cyclic = { event: 'add_to_cart' };
  cyclic.ecommerce = { items: [cyclic] };
  const throwing = new Proxy(
    {},
    {
      get() {
        throw new Error('hostile get');
      },
      ownKeys() {
        throw new Error('hostile keys');
      },
    },
  );
  let deep = { '@type': 'Product', sku: 'deep' };
  for (let i = 0; i < 5000; i++) deep = { items: [deep], ecommerce: deep };
  return [
    undefined,
    null,
    cyclic,
    throwing,
    { event: 'add_to_cart', ecommerce: { items: throwing } },
    { event: 'add_to_cart', ecommerce: { items: [throwing] } },
    Object.defineProperty({}, 'event', {
      get() {
        throw new Error('getter');
      },
    }),
    deep,
    'x'.repeat(1_000_000),
    Symbol('s'),
    10n,
    () => 1,
    document.body,
    Object.create(null),
    { length: 1e9, 0: 'event' },
  ];
};
