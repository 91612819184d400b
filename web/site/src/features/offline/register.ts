/**
 * Installs the site's service worker (/sw.js, scope /) once the page has loaded, so it never
 * competes with the first screen for the connection. Not under `vite dev`, where there is no build.
 */
export function registerServiceWorker(): void {
  if (!import.meta.env.PROD || !('serviceWorker' in navigator)) return;
  const register = () => {
    navigator.serviceWorker.register('/sw.js', { scope: '/' }).catch(() => {
      // Without it the site still works online; offline it cannot open, which the browser says itself.
    });
  };
  if (document.readyState === 'complete') register();
  else window.addEventListener('load', register, { once: true });
}
