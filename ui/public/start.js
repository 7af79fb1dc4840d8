// The shell serves this file with the first screen's data in it (src-tauri/src/first_screen.rs);
// this empty stand-in is what the page gets when the data is not ready (or under `vite dev`).
