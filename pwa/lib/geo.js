// Check-in verification, the same rule as the server: verified when the distance to the
// customer's pin is at most max(150 m, accuracy) and the accuracy is at most 500 m;
// too_far otherwise; no_fix without a position or without the customer's pin.

export const MIN_RADIUS_M = 150;
export const MAX_ACCURACY_M = 500;

/** Great-circle distance in metres. */
export function distanceM(lat1, lng1, lat2, lng2) {
  const r = 6371008.8;
  const rad = Math.PI / 180;
  const dLat = (lat2 - lat1) * rad;
  const dLng = (lng2 - lng1) * rad;
  const a = Math.sin(dLat / 2) ** 2 + Math.cos(lat1 * rad) * Math.cos(lat2 * rad) * Math.sin(dLng / 2) ** 2;
  return 2 * r * Math.asin(Math.min(1, Math.sqrt(a)));
}

/** Classify a fix against a customer: {verification: verified|too_far|no_fix, distance_m}. */
export function verify(customer, fix) {
  if (!fix || fix.lat == null || customer?.lat == null || customer?.lng == null) {
    return { verification: 'no_fix', distance_m: null };
  }
  const d = distanceM(fix.lat, fix.lng, Number(customer.lat), Number(customer.lng));
  const acc = fix.accuracy_m ?? 0;
  const ok = acc <= MAX_ACCURACY_M && d <= Math.max(MIN_RADIUS_M, acc);
  return { verification: ok ? 'verified' : 'too_far', distance_m: Math.round(d) };
}

/** The phone's position as {lat, lng, accuracy_m}, or null when there is no fix. */
export function currentFix(timeoutMs = 15000) {
  if (!('geolocation' in navigator)) return Promise.resolve(null);
  return new Promise((resolve) => {
    navigator.geolocation.getCurrentPosition(
      (p) => resolve({ lat: p.coords.latitude, lng: p.coords.longitude, accuracy_m: p.coords.accuracy }),
      () => resolve(null),
      { enableHighAccuracy: true, timeout: timeoutMs, maximumAge: 30000 },
    );
  });
}

/** A maps-app navigation link (opened by the phone's maps app; never fetched by us). */
export function navigationUrl(c) {
  return `https://www.google.com/maps/dir/?api=1&destination=${Number(c.lat)},${Number(c.lng)}`;
}
