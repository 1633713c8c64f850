// libqrencode: QR code symbols for print (drawn as SVG by TandemKit/Render/Share/QRCode.swift).
#include <qrencode.h>
