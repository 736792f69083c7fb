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
