import { defineConfig } from "vite";

// The Tauri shell embeds ui/dist (tauri.conf.json `build.frontendDist`) and serves it under
// a strict CSP, so the build must not emit inline scripts or styles.
export default defineConfig({
  clearScreen: false,
  server: { port: 1420, strictPort: true },
  build: {
    // WebKitGTK / WebView2 / WKWebView versions Tauri 2 supports.
    target: ["es2022", "safari15", "chrome105"],
    outDir: "dist",
    emptyOutDir: true,
    // Inlined assets would become data: URLs for scripts/styles, which the CSP refuses.
    assetsInlineLimit: 0,
    modulePreload: { polyfill: false },
    // Two pages: the main window and the small quick-add window.
    rollupOptions: {
      input: {
        main: "index.html",
        quickAdd: "quick-add.html",
      },
    },
  },
});
