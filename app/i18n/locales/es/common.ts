import type { common as english } from "../en/common";

export const common: typeof english = {
  appName: "Enlace",
  tagline: "Cooperación técnica Sur-Sur en las Américas",
  skipToContent: "Saltar al contenido principal",
  nav: {
    main: "Navegación principal",
    offers: "Ofertas",
    requests: "Solicitudes",
    search: "Buscar",
    insights: "Indicadores",
    meetings: "Reuniones",
    bulletin: "Boletín",
    dashboard: "Mi organización",
    staff: "Personal OEA",
    logIn: "Iniciar sesión",
    signUp: "Registrarse",
    logOut: "Cerrar sesión",
  },
  language: {
    label: "Idioma",
    switch: "Cambiar",
    en: "English",
    es: "Español",
  },
  home: {
    title: "Programas que funcionaron, compartidos en las Américas",
    lead: "Las agencias ofrecen los programas que pueden ayudar a replicar, solicitan la asistencia técnica que necesitan, y la OEA facilita la cooperación.",
    browseOffers: "Ver ofertas",
    postRequest: "Solicitar asistencia",
    stats: "{{offers}} ofertas y {{requests}} solicitudes abiertas de {{countries}} países",
  },
  errors: {
    notFoundTitle: "Página no encontrada",
    notFoundBody: "No encontramos lo que buscaba.",
    forbiddenTitle: "Acceso no permitido",
    forbiddenBody: "No tiene acceso a esta página.",
    genericTitle: "Algo salió mal",
    genericBody: "Inténtelo de nuevo. Si el problema persiste, contacte al equipo de la OEA.",
    backHome: "Volver a la página de inicio",
  },
  footer: {
    explore: "Más de Enlace",
    bulletinFeed: "Canal RSS del boletín",
    about: "Enlace es un mercado de la Organización de los Estados Americanos para la cooperación horizontal entre países.",
  },
};
