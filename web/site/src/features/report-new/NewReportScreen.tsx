import type { FeatureCollection } from 'geojson';
import type { ComponentType } from 'preact';
import { useEffect, useRef, useState } from 'preact/hooks';
import { useSite } from '../../app/context';
import { usePageTitle } from '../../app/title';
import { Link } from '../../../../shared/router';
import { unwrap, type components, type ErrorBody } from '../../../../shared/api';
import { pick, useLang, useText } from '../../../../shared/i18n';
import { loadWards } from '../../../../shared/map/wards';
import { Button, ChosenPhotos, Field, TextAreaField, TextField, announce } from '../../../../shared/ui';
import { ConnectionNotice, deviceId, reportingService, resizePhoto, useOnline, type NewReport, type SendEvent } from '../offline';
import { nearbyReports, type NearbyReport } from './nearby';
import type { Point } from './PlacePicker';
import { newText } from './text';
import { wardAt, wardList } from './ward';
import './new.css';

type Category = components['schemas']['Category'];
const MAX_PHOTOS = 5;

interface PickerProps {
  point: Point | null;
  onPick: (point: Point) => void;
  wards: FeatureCollection | null;
  tileUrl: string | null;
  tileAttribution: string | null;
}

type Outcome =
  | { kind: 'form' }
  | { kind: 'queued'; key: string }
  | { kind: 'filed'; key: string; reportId: string; photosDone: boolean; photosLost: number }
  | { kind: 'refused'; key: string; error: ErrorBody };

/** /new: the report form, its nearby look-alikes, then the receipt (or "waiting to send" offline). */
export default function NewReportScreen() {
  const words = useText(newText);
  const lang = useLang();
  const online = useOnline();
  const { api, config } = useSite();
  const reporting = reportingService(api);
  usePageTitle(words.title);
  const [categories, setCategories] = useState<Category[] | null | 'failed'>(null);
  const [wards, setWards] = useState<FeatureCollection | null>(null);
  const [category, setCategory] = useState('');
  const [photos, setPhotos] = useState<File[]>([]);
  const [photoNote, setPhotoNote] = useState<string | null>(null);
  const [point, setPoint] = useState<Point | null>(null);
  const [wardCode, setWardCode] = useState('');
  const [locating, setLocating] = useState(false);
  const [positionError, setPositionError] = useState(false);
  const [Picker, setPicker] = useState<ComponentType<PickerProps> | null | 'failed'>(null);
  const [description, setDescription] = useState('');
  const [address, setAddress] = useState('');
  const [phone, setPhone] = useState('');
  const [email, setEmail] = useState('');
  const [share, setShare] = useState(false);
  const [nearby, setNearby] = useState<NearbyReport[]>([]);
  const [followed, setFollowed] = useState<string | null>(null);
  const [errors, setErrors] = useState<Array<{ field: string; text: string }>>([]);
  const [busy, setBusy] = useState(false);
  const [outcome, setOutcome] = useState<Outcome>({ kind: 'form' });
  const summary = useRef<HTMLDivElement>(null);

  useEffect(() => {
    api
      .GET('/categories')
      .then((result) => setCategories(unwrap(result).categories))
      .catch(() => setCategories('failed'));
    void loadWards().then(setWards);
  }, []);

  const ward = point ? wardAt(wards, point.lat, point.lon) : null;

  // The reports already open nearby, once both the field and the place are known.
  useEffect(() => {
    setNearby([]);
    if (!category || !point || !online) return;
    const controller = new AbortController();
    const timer = setTimeout(() => {
      void nearbyReports(point, category, controller.signal).then((found) => {
        setNearby(found);
        if (found.length) announce(words.nearbyTitle);
      });
    }, 300);
    return () => {
      clearTimeout(timer);
      controller.abort();
    };
  }, [category, point?.lat, point?.lon, online]);

  // What the outbox says about the report just made.
  useEffect(() => {
    return reporting.sender.onEvent((event: SendEvent) => {
      setOutcome((current) => {
        if (current.kind === 'form' || current.key !== event.key) return current;
        if (event.kind === 'filed') {
          announce(`${words.receiptTitle}: ${event.reportId}`);
          return { kind: 'filed', key: event.key, reportId: event.reportId, photosDone: false, photosLost: 0 };
        }
        if (event.kind === 'sent' && current.kind === 'filed') {
          return { ...current, photosDone: true, photosLost: event.photosLost };
        }
        if (event.kind === 'sent') {
          announce(`${words.receiptTitle}: ${event.reportId}`);
          return { kind: 'filed', key: event.key, reportId: event.reportId, photosDone: true, photosLost: event.photosLost };
        }
        if (event.kind === 'refused') {
          announce(words.refusedTitle, 'assertive');
          return { kind: 'refused', key: event.key, error: event.error };
        }
        return current;
      });
    });
  }, [words]);

  const addPhotos = (list: FileList | null) => {
    const chosen = [...photos, ...Array.from(list ?? [])];
    setPhotoNote(chosen.length > MAX_PHOTOS ? words.photosTooMany(MAX_PHOTOS) : null);
    setPhotos(chosen.slice(0, MAX_PHOTOS));
  };

  const choosePoint = (chosen: Point) => {
    setPoint(chosen);
    setWardCode('');
    const inWard = wardAt(wards, chosen.lat, chosen.lon);
    announce(`${words.placeChosen(chosen.lat.toFixed(5), chosen.lon.toFixed(5))}. ${inWard ? words.inWard(lang === 'vi' ? inWard.name : inWard.nameEn) : ''}`);
  };

  const locate = () => {
    if (!('geolocation' in navigator)) {
      setPositionError(true);
      return;
    }
    setLocating(true);
    setPositionError(false);
    navigator.geolocation.getCurrentPosition(
      (position) => {
        setLocating(false);
        choosePoint({ lat: position.coords.latitude, lon: position.coords.longitude });
      },
      () => {
        setLocating(false);
        setPositionError(true);
      },
      { enableHighAccuracy: true, timeout: 15_000, maximumAge: 60_000 },
    );
  };

  const openMap = () => {
    import('./PlacePicker')
      .then((module) => setPicker(() => module.default))
      .catch(() => setPicker('failed'));
  };

  const follow = async (report: NearbyReport) => {
    await reporting.mine.save({
      report_id: report.report_id,
      token: null,
      savedAt: new Date().toISOString(),
      category: report.category.code,
      description: report.description,
    });
    setFollowed(report.report_id);
    announce(words.followed);
  };

  const submit = async (event: Event) => {
    event.preventDefault();
    const found: Array<{ field: string; text: string }> = [];
    if (!category) found.push({ field: 'report-category', text: words.categoryMissing });
    if (!point && !wardCode) found.push({ field: 'report-ward', text: words.placeMissing });
    if (!description.trim()) found.push({ field: 'report-description', text: words.descriptionMissing });
    setErrors(found);
    if (found.length) {
      setTimeout(() => summary.current?.focus(), 0);
      return;
    }
    setBusy(true);
    announce(words.preparing);
    try {
      const resized: Blob[] = [];
      for (const photo of photos) resized.push(await resizePhoto(photo));
      const contact = phone.trim() || email.trim()
        ? { ...(phone.trim() && { phone: phone.trim() }), ...(email.trim() && { email: email.trim() }), share_with_officer: share }
        : undefined;
      const body: NewReport = {
        category: category as NewReport['category'],
        description: description.trim(),
        photo_count: resized.length,
        device_id: deviceId(),
        ...(point && { location: { lat: Number(point.lat.toFixed(6)), lon: Number(point.lon.toFixed(6)) } }),
        ...(!point && wardCode && { ward_code: wardCode }),
        ...(address.trim() && { address: address.trim() }),
        ...(contact && { contact }),
      };
      const queued = await reporting.sender.enqueue(body, resized);
      setOutcome((current) => (current.kind === 'form' ? { kind: 'queued', key: queued.key } : current));
      if (!navigator.onLine) announce(words.queuedTitle, 'assertive');
      else announce(words.sendingTitle);
    } finally {
      setBusy(false);
    }
  };

  const reset = () => {
    setOutcome({ kind: 'form' });
    setPhotos([]);
    setDescription('');
    setAddress('');
    setPoint(null);
    setWardCode('');
    setFollowed(null);
  };

  if (outcome.kind !== 'form') {
    return (
      <section class="new-report" aria-labelledby="outcome-title">
        <ConnectionNotice />
        {outcome.kind === 'queued' && (
          <div class="notice" data-testid="report-queued">
            <h1 id="outcome-title">{online ? words.sendingTitle : words.queuedTitle}</h1>
            {!online && <p>{words.queuedBody}</p>}
          </div>
        )}
        {outcome.kind === 'filed' && (
          <div class="notice notice--ok" data-testid="report-receipt">
            <h1 id="outcome-title">{words.receiptTitle}</h1>
            <p>
              {words.receiptId}: <span class="receipt-id" data-testid="receipt-id">{outcome.reportId}</span>
            </p>
            <p>{words.receiptBody}</p>
            {photos.length > 0 && <p>{outcome.photosDone ? (outcome.photosLost ? words.photosLost(outcome.photosLost) : words.photosSent) : words.photosPending}</p>}
            <p>
              <Link to={`/mine/${encodeURIComponent(outcome.reportId)}`}>{words.openMine}</Link>
            </p>
          </div>
        )}
        {outcome.kind === 'refused' && (
          <div class="notice notice--error" role="alert">
            <h1 id="outcome-title">{words.refusedTitle}</h1>
            <p>{pick(outcome.error.message, lang)}</p>
          </div>
        )}
        <Button variant="secondary" onClick={reset}>
          {words.another}
        </Button>
      </section>
    );
  }

  const categoryList = Array.isArray(categories) ? categories : [];
  const wardChoices = wardList(wards);
  const fieldError = (id: string) => errors.find((error) => error.field === id)?.text ?? null;

  return (
    <section class="new-report" aria-labelledby="new-title">
      <h1 id="new-title">{words.title}</h1>
      <p>{words.intro}</p>
      <ConnectionNotice />
      {errors.length > 0 && (
        <div class="error-summary" role="alert" tabIndex={-1} ref={summary}>
          <h2>{words.errorsTitle}</h2>
          <ul>
            {errors.map((error) => (
              <li key={error.field}>
                <a href={`#${error.field}`}>{error.text}</a>
              </li>
            ))}
          </ul>
        </div>
      )}
      <form onSubmit={submit} noValidate>
        {categories === 'failed' && <p class="notice notice--error">{words.categoriesFailed}</p>}
        <Field label={words.category} id="report-category" error={fieldError('report-category')}>
          {(control) => (
            <select class="input" name="category" value={category} onChange={(event) => setCategory(event.currentTarget.value)} aria-busy={categories === null || undefined} {...control}>
              <option value="">{words.categoryChoose}</option>
              {categoryList.map((item) => (
                <option key={item.code} value={item.code}>
                  {pick(item.name, lang)}
                </option>
              ))}
            </select>
          )}
        </Field>

        <fieldset>
          <legend>{words.photos}</legend>
          <p class="field__hint" id="photos-hint">{words.photosHint}</p>
          <div class="photo-inputs">
            <label class="btn btn--secondary">
              {words.takePhoto}
              <input class="visually-hidden" type="file" name="camera" accept="image/*" capture="environment" aria-describedby="photos-hint" onChange={(event) => { addPhotos(event.currentTarget.files); event.currentTarget.value = ''; }} disabled={photos.length >= MAX_PHOTOS} />
            </label>
            <label class="btn btn--secondary">
              {words.choosePhotos}
              <input class="visually-hidden" type="file" name="photos" accept="image/*" multiple aria-describedby="photos-hint" onChange={(event) => { addPhotos(event.currentTarget.files); event.currentTarget.value = ''; }} disabled={photos.length >= MAX_PHOTOS} />
            </label>
          </div>
          {photoNote && <p class="field__error">{photoNote}</p>}
          <ChosenPhotos photos={photos} testId="photo-list" photoAlt={words.photoAlt} removeLabel={words.removePhoto}
            onRemove={(index) => setPhotos(photos.filter((_, other) => other !== index))} />
        </fieldset>

        <fieldset>
          <legend>{words.place}</legend>
          <div class="place-actions">
            <Button variant="secondary" onClick={locate} busy={locating}>
              {locating ? words.locating : words.useMyPosition}
            </Button>
            {Picker === null && (
              <Button variant="secondary" onClick={openMap}>
                {words.showMap}
              </Button>
            )}
          </div>
          {positionError && <p class="field__error">{words.positionFailed}</p>}
          {Picker === 'failed' && <p class="field__error">{words.mapFailed}</p>}
          {Picker && Picker !== 'failed' && <Picker point={point} onPick={choosePoint} wards={wards} tileUrl={config.tileUrl} tileAttribution={config.tileAttribution} />}
          {point && (
            <p data-testid="chosen-place">
              {words.placeChosen(point.lat.toFixed(5), point.lon.toFixed(5))}
              {' · '}
              {ward ? words.inWard(lang === 'vi' ? ward.name : ward.nameEn) : words.outsideWards}
            </p>
          )}
          {!point && (
            <Field label={words.ward} id="report-ward" error={fieldError('report-ward')}>
              {(control) => (
                <select class="input" name="ward_code" value={wardCode} onChange={(event) => setWardCode(event.currentTarget.value)} {...control}>
                  <option value="">{words.wardChoose}</option>
                  {wardChoices.map((item) => (
                    <option key={item.code} value={item.code}>
                      {lang === 'vi' ? item.name : item.nameEn}
                    </option>
                  ))}
                </select>
              )}
            </Field>
          )}
          <TextField label={words.address} name="address" value={address} maxLength={500} onInput={(event) => setAddress(event.currentTarget.value)} />
        </fieldset>

        <TextAreaField
          label={words.description}
          id="report-description"
          name="description"
          value={description}
          maxLength={4000}
          required
          error={fieldError('report-description')}
          onInput={(event) => setDescription(event.currentTarget.value)}
        />

        <fieldset>
          <legend>{words.contactLegend}</legend>
          <p class="field__hint">{words.contactHint}</p>
          <TextField label={words.phone} name="phone" type="tel" autoComplete="tel" inputMode="tel" value={phone} onInput={(event) => setPhone(event.currentTarget.value)} />
          <TextField label={words.email} name="email" type="email" autoComplete="email" value={email} onInput={(event) => setEmail(event.currentTarget.value)} />
          <label class="checkbox">
            <input type="checkbox" name="share_with_officer" checked={share} onChange={(event) => setShare(event.currentTarget.checked)} />
            <span>{words.share}</span>
          </label>
        </fieldset>

        {nearby.length > 0 && (
          <section class="nearby" aria-labelledby="nearby-title" data-testid="nearby">
            <h2 id="nearby-title">{words.nearbyTitle}</h2>
            <p>{words.nearbyIntro}</p>
            <ul>
              {nearby.map((report) => (
                <li key={report.report_id}>
                  <strong>{pick(report.status_label, lang)}</strong> · {words.nearbyDistance(Math.round(report.distance_m))}
                  <br />
                  {report.description}
                  <br />
                  {followed === report.report_id ? (
                    <span>
                      {words.followed} <Link to={`/mine/${encodeURIComponent(report.report_id)}`}>{words.openFollowed}</Link>
                    </span>
                  ) : (
                    <Button variant="secondary" onClick={() => void follow(report)}>
                      {words.follow}
                    </Button>
                  )}
                </li>
              ))}
            </ul>
          </section>
        )}

        <Button type="submit" busy={busy}>
          {busy ? words.preparing : words.submit}
        </Button>
      </form>
    </section>
  );
}
