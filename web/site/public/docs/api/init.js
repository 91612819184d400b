// Starts Swagger UI on this site's one API description. A file, not an inline script, so the
// page keeps the site's Content-Security-Policy (script-src 'self'); validatorUrl null keeps it
// from calling validator.swagger.io, so it works offline. Deep links are off: Swagger UI draws
// them as a link inside each operation's button, which screen readers cannot operate.
/* global SwaggerUIBundle */
window.swaggerUi = SwaggerUIBundle({
  url: '/openapi.json',
  dom_id: '#swagger-ui',
  deepLinking: false,
  validatorUrl: null,
  presets: [SwaggerUIBundle.presets.apis],
  layout: 'BaseLayout',
  onComplete: function () {
    // Swagger UI's server picker has no label of its own.
    var servers = document.getElementById('servers');
    if (servers) servers.setAttribute('aria-label', 'Server');
  },
});
