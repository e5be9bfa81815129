// The API's documentation page: Swagger UI reading /api/openapi.json, with "try it out"
// turned off (a request from here would act on the real record and publish nothing back).
window.addEventListener("load", function () {
  window.ui = SwaggerUIBundle({
    url: "/api/openapi.json",
    dom_id: "#swagger-ui",
    deepLinking: true,
    tryItOutEnabled: false,
    supportedSubmitMethods: [],
  });
});
