/** The REST bench's response body, shared by its server and its correctness check: one note, ~200 bytes of JSON. */
export const NOTE = {
  id: 42,
  title: 'Benchmark note',
  body: 'A short note, about the size of a typical API object.',
  tags: ['bench', 'rest'],
  done: false,
  createdAt: '2026-11-24T03:00:00.000Z',
  owner: { id: 7, name: 'Ada' },
}
export const NOTE_JSON = JSON.stringify(NOTE)
