import { test, WEBGPU_ARGS } from '../fixtures.ts';
import { interestShift } from './scenario.ts';

// Headless Chromium exposes only a SwiftShader adapter, so the engine is forced onto WebGPU:
// this checks the WebGPU path's results, never its speed.
test.use({
  launchOptions: async ({ launchOptions }, use) =>
    use({ ...launchOptions, args: [...(launchOptions.args ?? []), ...WEBGPU_ARGS] }),
});

test('WebGPU: sports then kitchen moves the top interest; short-term turns faster; survives reload', async ({
  page,
}) => {
  test.setTimeout(180_000);
  await interestShift(page, 'webgpu');
});
