# Sales receipt. Rendered for 32, 42 or 48 columns by pos_app/devices/receipt.py.
#
#   <center bold double>text   a text line; styles: center, right, bold, double
#   @row Label|value           label on the left, value on the right
#   ?...                       optional: left out when every {field} in it is empty or 0
#   @rule @lines @discounts @payments @qr @subscribe @logo @cut @drawer @feed N    blocks
#                              (@subscribe: the QR of the guest's messenger link, seed 003)
#                              (@qr, @logo, @drawer print only when the receipt asks for them;
#                              text after @rule only serves the ? condition)
#   @cash Received|Change      cash handed over and the change, when cash was taken
#   {field}                    a ReceiptData field; money and points are already formatted
#                              (points with their unit, "б.")
@logo
?<center bold double>{venue_name}
?<center>{venue_address}
?<center>ИНН {tax_id}
?<center>{header}
?<center bold>{copy_label}
@rule
@row Чек|{number}
?@row Заказ|{order_number}
@row Дата|{printed_at}
?@row Кассир|{cashier}
?@row Гость|{guest_name}
?@row Карта|{guest_card}
@rule
@lines
@rule
?@row Подытог|{subtotal}
@discounts
?@row Скидка всего|-{discount_total}
<bold double>@row ИТОГО|{total}
@payments
@cash Получено|Сдача
?@rule {points_spent}{points_earned}{points_balance}
?@row Списано баллов|{points_spent}
?@row Начислено баллов|{points_earned}
?@row Баланс баллов|{points_balance}
@qr
?@rule {subscribe_link}
?<center>Ваша карта в Telegram: {subscribe_link}
@subscribe
?<center>{footer}
?<center>{closing}
@cut
@drawer
