// Tells the shell the page is on screen, the same way Outlay's page tells it the dashboard is:
// after the first frame that contains it (a frame, then a task), through one command.
requestAnimationFrame(() => {
  setTimeout(() => {
    void window.__TAURI_INTERNALS__.invoke("page_shown");
  }, 0);
});
