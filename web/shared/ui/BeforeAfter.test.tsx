import { render } from 'preact';
import { act } from 'preact/test-utils';
import { afterEach, describe, expect, it } from 'vitest';
import { setLang } from '../i18n';
import { BeforeAfter } from './BeforeAfter';

const photo = (name: string) => ({ url: `https://photos.example/${name}.jpg`, thumbnail_url: `https://photos.example/${name}-t.jpg` });

function shown(props: Parameters<typeof BeforeAfter>[0]): HTMLElement {
  const root = document.createElement('div');
  document.body.append(root);
  act(() => render(<BeforeAfter {...props} />, root));
  return root;
}

describe('BeforeAfter', () => {
  afterEach(() => {
    document.body.innerHTML = '';
    act(() => setLang('vi'));
  });

  it('puts the reporter’s photos beside the after-photos, each described, with the verdict in words', () => {
    const root = shown({ before: [photo('b1'), photo('b2')], result: { photos: [photo('a1')], location_verified: true } });
    const [before, after] = [...root.querySelectorAll('figure')];
    expect([...before!.querySelectorAll('img')].map((img) => img.alt)).toEqual(['Ảnh người dân gửi, số 1', 'Ảnh người dân gửi, số 2']);
    expect([...after!.querySelectorAll('img')].map((img) => img.alt)).toEqual(['Ảnh sau khi xử lý, số 1']);
    expect(root.querySelector('[data-testid="fix-location"]')?.textContent).toContain('Đã xác minh vị trí');
    expect(root.querySelector('h2')?.id).toBe(root.querySelector('section')?.getAttribute('aria-labelledby'));
  });

  it('says "not verified" for a result without a photo taken on the spot, in English one click away', () => {
    const root = shown({ before: [], result: { photos: [], location_verified: false } });
    expect(root.querySelector('[data-testid="fix-location"]')?.textContent).toContain('Chưa xác minh vị trí');
    act(() => setLang('en'));
    expect(root.querySelector('[data-testid="fix-location"]')?.textContent).toContain('Location not verified');
    expect(root.textContent).toContain('No photo after the work yet.');
  });

  it('gives no verdict before the report is resolved', () => {
    const root = shown({ before: [photo('b1')], result: null });
    expect(root.querySelector('[data-testid="fix-location"]')).toBeNull();
    expect(root.textContent).toContain('Chưa có ảnh sau khi xử lý.');
  });
});
