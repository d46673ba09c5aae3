// Vite's `?url` imports resolve to the emitted asset's URL.
declare module '*?url' {
  const url: string;
  export default url;
}
// The raw sizes of onnxruntime-web's two .wasm builds, written by vite.config.ts's `define`;
// undefined where the worker is not built by Vite (unit tests).
declare const __PORTRAIT_ORT_WASM_BYTES__: { wasmOnly: number; asyncify: number } | undefined;
