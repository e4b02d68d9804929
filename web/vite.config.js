import { fileURLToPath, URL } from 'node:url'
import { defineConfig } from 'vite'
import vue from '@vitejs/plugin-vue'
import Components from 'unplugin-vue-components/vite'
import { ElementPlusResolver } from 'unplugin-vue-components/resolvers'

// The bundle is embedded in the Go binary (internal/web/dist) and must work
// offline under the server's CSP (no inline scripts, no eval): Element Plus
// is imported per component (JS and CSS) by unplugin-vue-components at build
// time, and vue-i18n compiles messages with its JIT compiler (no new Function).
// Libraries put documentation links into their warning texts. They are never
// fetched, but an offline bundle should not name outside hosts at all, so the
// scheme is dropped from those links. (The w3.org XML namespace names that
// SVG and MathML need are identifiers, not addresses, and stay.)
function noOutsideLinks() {
  const re = /https?:\/\/(?!www\.w3\.org\/)([a-z0-9.-]+\.[a-z]{2,})/gi
  return {
    name: 'gongjian-no-outside-links',
    apply: 'build',
    renderChunk(code) {
      return re.test(code) ? { code: code.replace(re, '$1'), map: null } : null
    },
  }
}

const vendor = (names) => new RegExp(`[\\\\/]node_modules[\\\\/](${names.join('|')})[\\\\/]`)

export default defineConfig({
  plugins: [
    noOutsideLinks(),
    vue(),
    Components({
      dts: false,
      dirs: [],
      resolvers: [ElementPlusResolver({ importStyle: 'css' })],
    }),
  ],
  resolve: {
    alias: { '@': fileURLToPath(new URL('./src', import.meta.url)) },
  },
  define: {
    __VUE_OPTIONS_API__: 'true',
    __VUE_PROD_DEVTOOLS__: 'false',
    __VUE_PROD_HYDRATION_MISMATCH_DETAILS__: 'false',
    __VUE_I18N_FULL_INSTALL__: 'true',
    __VUE_I18N_LEGACY_API__: 'false',
    __INTLIFY_PROD_DEVTOOLS__: 'false',
    __INTLIFY_JIT_COMPILATION__: 'true',
    __INTLIFY_DROP_MESSAGE_COMPILER__: 'false',
  },
  build: {
    outDir: '../internal/web/dist',
    emptyOutDir: true,
    sourcemap: false,
    chunkSizeWarningLimit: 1200,
    modulePreload: { polyfill: false },
    rolldownOptions: {
      output: {
        codeSplitting: {
          groups: [
            { name: 'echarts', test: vendor(['echarts', 'zrender', 'tslib']) },
            { name: 'vue', test: vendor(['vue', '@vue', 'vue-router', 'vue-i18n', '@intlify']) },
            {
              name: 'element-plus',
              test: vendor(['element-plus', '@element-plus', '@floating-ui', '@sxzz', '@popperjs', 'lodash-es', 'lodash-unified',
                '@vueuse', 'dayjs', 'async-validator', '@ctrl', 'memoize-one', 'normalize-wheel-es']),
            },
          ],
        },
      },
    },
  },
  server: {
    proxy: {
      '/api': 'http://127.0.0.1:8080',
      '/readyz': 'http://127.0.0.1:8080',
    },
  },
})
