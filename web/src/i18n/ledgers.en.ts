// Ledgers wording, merged key by key into en by i18n/index.ts.
export default {
  menu: { ledgers: 'Ledgers' },
}
