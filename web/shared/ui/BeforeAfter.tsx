import type { components } from '../api';
import { defineText, useText } from '../i18n';

type Photo = components['schemas']['Photo'];
type Result = components['schemas']['Result'];

export const beforeAfterText = defineText(
  {
    title: 'Ảnh trước và sau',
    before: 'Trước khi xử lý',
    after: 'Sau khi xử lý',
    beforePhoto: (n: number) => `Ảnh người dân gửi, số ${n}`,
    afterPhoto: (n: number) => `Ảnh sau khi xử lý, số ${n}`,
    noBefore: 'Chưa có ảnh.',
    noAfter: 'Chưa có ảnh sau khi xử lý.',
    verified: 'Đã xác minh vị trí',
    verifiedHint: 'Ảnh sau khi xử lý được chụp trong vòng 100 m quanh vị trí phản ánh (theo GPS của ảnh).',
    notVerified: 'Chưa xác minh vị trí',
    notVerifiedHint: 'Không ảnh sau khi xử lý nào mang GPS trong vòng 100 m quanh vị trí phản ánh.',
  },
  {
    title: 'Before and after',
    before: 'Before',
    after: 'After',
    beforePhoto: (n: number) => `The reporter's photo ${n}`,
    afterPhoto: (n: number) => `Photo ${n} after the work`,
    noBefore: 'No photos yet.',
    noAfter: 'No photo after the work yet.',
    verified: 'Location verified',
    verifiedHint: 'A photo after the work was taken within 100 m of the reported point (by the photo’s GPS).',
    notVerified: 'Location not verified',
    notVerifiedHint: 'No photo after the work carries a GPS position within 100 m of the reported point.',
  },
);

interface BeforeAfterProps {
  /** The reporter's checked photos. */
  before: readonly Photo[];
  /** The resolution, if any: its after-photos and whether one was taken at the reported point. */
  result: Pick<Result, 'photos' | 'location_verified'> | null;
  /** The heading's id, for the section's aria-labelledby (unique on the page). */
  headingId?: string;
}

function Thumbnails({ photos, alt, empty }: { photos: readonly Photo[]; alt: (n: number) => string; empty: string }) {
  if (photos.length === 0) return <p>{empty}</p>;
  return (
    <>
      {photos.map((photo, index) => (
        <a key={photo.url} href={photo.url}>
          <img src={photo.thumbnail_url} alt={alt(index + 1)} loading="lazy" />
        </a>
      ))}
    </>
  );
}

/** The reporter's photos beside the after-photos, with whether the fix was shown where it was
 * reported (the badge says it in words; its colour only repeats them). */
export function BeforeAfter({ before, result, headingId = 'before-after-title' }: BeforeAfterProps) {
  const words = useText(beforeAfterText);
  const verified = result?.location_verified === true;
  return (
    <section aria-labelledby={headingId} class="before-after-section" data-testid="before-after">
      <h2 id={headingId}>{words.title}</h2>
      <div class="before-after">
        <figure class="before-after__side">
          <figcaption>{words.before}</figcaption>
          <Thumbnails photos={before} alt={words.beforePhoto} empty={words.noBefore} />
        </figure>
        <figure class="before-after__side">
          <figcaption>{words.after}</figcaption>
          <Thumbnails photos={result?.photos ?? []} alt={words.afterPhoto} empty={words.noAfter} />
          {result && (
            <p class="before-after__location" data-testid="fix-location">
              <span class={`badge badge--${verified ? 'verified' : 'unverified'}`}>
                {verified ? words.verified : words.notVerified}
              </span>{' '}
              <span class="field__hint">{verified ? words.verifiedHint : words.notVerifiedHint}</span>
            </p>
          )}
        </figure>
      </div>
    </section>
  );
}
