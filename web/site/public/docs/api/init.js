// Starts Swagger UI on this site's one API description. A file, not an inline script, so the
// page keeps the site's Content-Security-Policy (script-src 'self'); validatorUrl null keeps it
// from calling validator.swagger.io, so it works offline.
/* global SwaggerUIBundle */
window.swaggerUi = SwaggerUIBundle({
  url: '/openapi.json',
  dom_id: '#swagger-ui',
  deepLinking: true,
  validatorUrl: null,
  presets: [SwaggerUIBundle.presets.apis],
  layout: 'BaseLayout',
});
