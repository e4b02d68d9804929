// Reference lists (units, persons, zones) that filters and forms pick from,
// loaded once per page visit and shared.
import { ref } from 'vue'
import { campaignApi, orgApi } from '@/api'
import type { Person, Unit, Zone } from '@/api'

const units = ref<Unit[]>([])
const persons = ref<Person[]>([])
const zones = ref<Zone[]>([])
let unitsP: Promise<void> | null = null
let personsP: Promise<void> | null = null
let zonesFor = -1
let zonesP: Promise<void> | null = null

export function loadUnits(force = false) {
  if (!unitsP || force) {
    unitsP = orgApi.units().then((r) => {
      units.value = [...r.items].sort((a, b) => a.sort_order - b.sort_order || a.code.localeCompare(b.code))
    }).catch((e) => { unitsP = null; throw e })
  }
  return unitsP
}

export function loadPersons(force = false) {
  if (!personsP || force) {
    personsP = orgApi.persons().then((r) => {
      persons.value = r.items
    }).catch((e) => { personsP = null; throw e })
  }
  return personsP
}

export function loadZones(campaignId: number, force = false) {
  if (!zonesP || zonesFor !== campaignId || force) {
    zonesFor = campaignId
    zonesP = campaignApi.zones(campaignId || undefined).then((r) => {
      zones.value = r.items
    }).catch((e) => { zonesP = null; throw e })
  }
  return zonesP
}

export function invalidateLookups() {
  unitsP = personsP = zonesP = null
}

/** Zones ordered as a tree: each zone followed by its grids. */
export function zonesOrdered(list: Zone[]): (Zone & { depth: number })[] {
  const out: (Zone & { depth: number })[] = []
  const walk = (parent: number | null, depth: number) => {
    for (const z of list.filter((z) => (z.parent_id ?? null) === parent).sort((a, b) => a.code.localeCompare(b.code))) {
      out.push({ ...z, depth })
      walk(z.id, depth + 1)
    }
  }
  walk(null, 0)
  return out
}

export { units, persons, zones }
