/**
 * The sandbox EHR's SMART style (SMART App Launch, "Styling"): served at `/smart-style.json`
 * and named by `smart_style_url` in every token response, so apps can match the host EHR.
 */
export const SMART_STYLE = Object.freeze({
  color_background: '#f5f7fa',
  color_error: '#a3212a',
  color_highlight: '#0b5cad',
  color_modal_backdrop: 'rgba(18, 59, 94, 0.5)',
  color_success: '#1e7b34',
  color_text: '#1b2733',
  dim_border_radius: '6px',
  dim_font_size: '16px',
  dim_spacing_size: '16px',
  font_family_body: 'system-ui, -apple-system, "Segoe UI", Roboto, sans-serif',
  font_family_heading: 'system-ui, -apple-system, "Segoe UI", Roboto, sans-serif',
});

/**
 * A style an EHR might really serve whose colours are too faint to read: pale grey text, a pale
 * link colour and a mid-grey background. Named by token responses while the `lowContrastStyle`
 * knob is on, so tests can check that Housecall keeps its own colours where these would fail.
 */
export const LOW_CONTRAST_STYLE = Object.freeze({
  ...SMART_STYLE,
  color_background: '#9aa3ad',
  color_highlight: '#a9c7ee',
  color_text: '#c3c8cf',
});
