import { defineConfig } from 'vitest/config';
import preact from '@preact/preset-vite';

export default defineConfig({
  plugins: [preact()],
  define: { global: 'globalThis' },
  test: {
    environment: 'jsdom',
    include: ['shared/**/*.test.{ts,tsx}', 'console/**/*.test.{ts,tsx}', 'site/**/*.test.{ts,tsx}'],
  },
});
