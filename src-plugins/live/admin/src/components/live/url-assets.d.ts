/** Vite's `?url` imports: the asset's public URL (used for the IVS player's worker and wasm). */
declare module '*?url' {
  const url: string;
  export default url;
}
