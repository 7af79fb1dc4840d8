import { defineConfig } from "vitest/config";

// Unit tests of the UI's DOM-free modules (`npm test`, and `cargo xtask test`), in Node: no
// webview, no browser, a few seconds. Only files named *.test.ts run; nothing imports them,
// so the app's bundle (vite.config.ts) never contains them or vitest.
export default defineConfig({
  test: {
    include: ["src/**/*.test.ts"],
    environment: "node",
    setupFiles: ["src/test-setup.ts"],
    // West of UTC, where a calendar date read or written as local midnight lands on the day
    // before: formatting must not depend on the machine's zone.
    env: { TZ: "America/Los_Angeles" },
  },
});
