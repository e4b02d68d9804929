// The features built on the core model, in side-menu order. Each file owns
// its routes, menu entries and words, so features grow without touching
// router.ts, AppShell.vue or i18n/index.ts.
import type { RouteRecordRaw } from 'vue-router'
import type { MenuEntry } from './types'
import * as cases from './cases'
import * as enterprises from './enterprises'
import * as indicators from './indicators'
import * as ledgers from './ledgers'
import * as briefings from './briefings'
import * as battlemap from './battlemap'

const all = [battlemap, cases, enterprises, indicators, ledgers, briefings]

export const featureRoutes: RouteRecordRaw[] = all.flatMap((f) => f.routes)
export const featureMenu: MenuEntry[] = all.flatMap((f) => f.menu)
