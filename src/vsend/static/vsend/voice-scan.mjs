// One-key scanning for the child's own pages (progressive enhancement: the pages work without it).
// Turned on, a short press of Space moves the highlight to the next choice; holding Space, or
// pressing Enter, picks the highlighted one (a picture, "I don't want to say", or Next).
// Remembered for the rest of the visit, so the next page starts scanning too.

const HOLD_MS = 700
const KEY = 'vsend-scan'

const controls = document.querySelector('[data-scan-controls]')
if (controls) {
  const toggle = controls.querySelector('[data-scan-toggle]')
  const help = controls.querySelector('[data-scan-help]')
  const status = controls.querySelector('[data-scan-status]')
  let on = false
  let items = []
  let index = -1
  let downAt = 0
  controls.hidden = false

  const labelOf = (el) => {
    if (el.id) {
      const label = document.querySelector(`label[for="${el.id}"]`)
      if (label) return label.textContent.trim()
    }
    return el.textContent.trim()
  }

  const show = (n) => {
    items.forEach((el) => el.classList.remove('vsend-scan-current'))
    index = n
    const el = items[index]
    if (!el) return
    el.classList.add('vsend-scan-current')
    el.focus({ preventScroll: false })
    status.textContent = labelOf(el) + (el.checked ? ' (picked)' : '')
  }

  const pick = () => {
    const el = items[index]
    if (!el) return
    el.click()
    status.textContent = labelOf(el) + (el.checked ? ' (picked)' : '')
  }

  const setOn = (value) => {
    on = value
    toggle.setAttribute('aria-pressed', String(on))
    help.hidden = !on
    try { window.sessionStorage.setItem(KEY, on ? '1' : '') } catch (e) { /* private mode */ }
    items = Array.from(document.querySelectorAll('[data-scan-item]'))
    if (on) show(0)
    else items.forEach((el) => el.classList.remove('vsend-scan-current'))
  }

  toggle.addEventListener('click', () => setOn(!on))

  document.addEventListener('keydown', (event) => {
    if (!on) return
    if (event.key === ' ') {
      event.preventDefault()
      if (!event.repeat) downAt = Date.now()
    } else if (event.key === 'Enter' && items.includes(document.activeElement)) {
      event.preventDefault()
      pick()
    }
  })
  document.addEventListener('keyup', (event) => {
    if (!on || event.key !== ' ') return
    event.preventDefault()
    if (Date.now() - downAt >= HOLD_MS) pick()
    else show((index + 1) % items.length)
  })

  let remembered = ''
  try { remembered = window.sessionStorage.getItem(KEY) || '' } catch (e) { /* private mode */ }
  if (remembered) setOn(true)
}
