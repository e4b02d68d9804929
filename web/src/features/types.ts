import type { Component } from 'vue'

/** A side-menu entry; perm hides it from roles without that permission. */
export interface MenuEntry {
  key: string
  path: string
  perm: string
  icon: Component
}
