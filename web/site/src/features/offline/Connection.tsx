import { useEffect, useRef, useState } from 'preact/hooks';
import { useText } from '../../../../shared/i18n';
import { announce } from '../../../../shared/ui';
import { offlineText } from './text';
import './offline.css';

/** Whether the browser believes it is online, following its 'online' and 'offline' events. */
export function useOnline(): boolean {
  const [online, setOnline] = useState(() => globalThis.navigator?.onLine ?? true);
  useEffect(() => {
    const update = () => setOnline(navigator.onLine);
    window.addEventListener('online', update);
    window.addEventListener('offline', update);
    return () => {
      window.removeEventListener('online', update);
      window.removeEventListener('offline', update);
    };
  }, []);
  return online;
}

/** A visible notice while offline, and the change spoken through the live region either way. */
export function ConnectionNotice() {
  const words = useText(offlineText);
  const online = useOnline();
  const first = useRef(true);
  useEffect(() => {
    // Online from the start is nothing to announce; offline from the start is.
    if (first.current) {
      first.current = false;
      if (online) return;
    }
    announce(online ? words.online : words.offline, online ? 'polite' : 'assertive');
  }, [online]);
  if (online) return null;
  return (
    <p class="notice notice--offline" data-testid="offline-notice">
      {words.offline}
    </p>
  );
}
