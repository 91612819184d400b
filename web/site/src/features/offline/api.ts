/** The header that proves this device filed a report: sent to the API only, never put in a URL. */
export function trackingHeader(token: string): { Authorization: string } {
  return { Authorization: `Bearer ${token}` };
}
